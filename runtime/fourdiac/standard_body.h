// Whether a 4diac file's body for one of plc's native types is 4diac's own.
//
// 4diac ships several of the types plc implements natively as BasicFBs
// (E_CTU, E_SR...), SimpleFBs (F_TIME_IN_MS_TO_LINT...) or composites
// (E_CYCLE, E_TRAIN...). plc reads such a file for its interface only: the
// native block runs and the file's ECC, algorithms or network are not used
// (type_folder.h). That is what the author expects while the body is the
// one 4diac ships; a body someone changed deserves a warning, and a body
// 4diac ships does not (every 4diac project carries those files, so a
// warning on each would drown the ones that matter).
//
// "4diac's own" is decided by a fingerprint of what decides behaviour:
// the body's elements and attributes (ECC states, actions and transitions
// with their conditions, internal variables, algorithms' ST, an FB
// network's FBs, parameters and connections), without what only draws or
// documents (x, y, dx1, dx2, dy, Comment, Attribute elements) and with
// ST's comments, whitespace and letter case left out (identifiers ignore
// case; a literal's text is kept). FB types in a network are compared
// without their package. The table in standard_body.cc holds the
// fingerprint of every version of each such file in 4diac IDE's history
// (data/typelib and data/typelibrary, 2017 to 2024-10-15).
#pragma once

#include <pugixml.hpp>

#include <cstdint>
#include <string_view>

namespace plc::fourdiac {

// The body of an FBType document that plc would not use for a native
// type: its BasicFB, SimpleFB or FBNetwork element (null when it has none).
pugi::xml_node fb_type_body(pugi::xml_node fb_type);

// The fingerprint of a body (FNV-1a over its canonical form).
uint64_t body_fingerprint(pugi::xml_node body);

// Whether `body` is, up to layout and comments, a body 4diac ships for `type`.
bool is_standard_body(std::string_view type, pugi::xml_node body);

}  // namespace plc::fourdiac
