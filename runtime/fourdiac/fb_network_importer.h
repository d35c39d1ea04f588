// 4diac networks, flattened into the language's NetworkAst: the FBNetwork
// of a composite FB type or of a resource, and the SubAppNetwork of an
// application.
//
// - FB: an instance; its Parameter children become parameters (a typed
//   literal of a narrower type is widened: var_declaration.h).
// - SubApp (untyped, nested to any depth up to kMaxSubAppDepth): its FBs join
//   the enclosing network named "SubApp.FB" ("Outer.Inner.FB"); a chain of
//   connections through a SubApp's interface (outer -> SubApp.IN -> inner)
//   becomes one direct connection, as composite boundaries do in the
//   engine. A parameter on a SubApp's input reaches every FB input that
//   input feeds. A SubApp event input that nothing outside feeds is an
//   entry: where a test or an operator injects events ("SubApp.Start").
// - EventConnections, DataConnections; AdapterConnections become the bundle
//   of connections they stand for (adapter_type.h). A Connection with
//   neither Source nor Destination (a leftover 4diac IDE saves and ignores)
//   is skipped with a warning; one with only one of them is an error.
// - Inside a composite, its own plug or socket "adp" is named like an FB
//   whose ports are the adapter type's ("adp.START", "adp.DT"): a socket
//   offers the adapter's outputs as sources and takes its inputs as
//   destinations, a plug the other way round (4diac's E_TimeOut). Such an
//   end is the composite's boundary port "adp$START".
// - SubApp with a Type: an instance of that typed SubApp (a .sub, which
//   the importer makes a composite FB type, fbt_importer.h), so the engine
//   flattens it as it flattens a composite ("Sub.FB").
// - Group: only a drawing aid; FBs inside keep their names.
// Adapters on an untyped SubApp's interface are reported as unsupported.
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "runtime/fourdiac/adapter_type.h"
#include "runtime/fourdiac/library_element.h"
#include "runtime/language/ast.h"

namespace plc::fourdiac {

class TypeContext;

inline constexpr int kMaxSubAppDepth = 64;

struct SubAppInfo {
  std::string path;     // "Ex1a", "Outer.Inner"
  std::string comment;  // what the author wrote about it
  lang::Loc loc;
};

struct ImportedNetwork {
  lang::NetworkAst net;
  std::vector<SubAppInfo> subapps;  // every SubApp, outer before inner, in file order
  // Unfed SubApp event inputs ("Sub.Start") and the FB inputs ("Sub.FB.EI") they reach.
  std::vector<std::pair<std::string, std::vector<std::string>>> entries;
};

// What a resource's FBNetwork may use without declaring it.
struct ResourceScope {
  // FBs the resource type brings (EMB_RES's START : E_RESTART), with their
  // parameters: added unless the network declares an FB or SubApp of the
  // same name. Their locations become `at`.
  std::vector<lang::FbInstanceAst> implicit_fbs;
  lang::Loc at;
  // Application FBs mapped onto the resource, as a connection may name them
  // ("App.FB", "App.Sub.FB": identifier keys); their ends are kept as written.
  std::set<std::string> mapped;
};

// Appends `network`'s content to `out`. `boundary` is set for a composite
// type's network: its bare port names ("REQ", "adp") are the composite's
// own ports, with these adapters. `resource` is set for a resource's
// network. False when something was reported.
bool import_network(const LibraryElement& x, pugi::xml_node network, TypeContext& ctx,
                    const std::vector<AdapterDecl>* boundary, ImportedNetwork& out,
                    const ResourceScope* resource = nullptr);

}  // namespace plc::fourdiac
