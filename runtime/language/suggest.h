// "did you mean 'State'?": the closest declared name to a misspelt one.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace plc::lang {

// The candidate nearest to `name` (case-insensitive edit distance), if it
// is close enough to be a plausible typo (about a third of the name may
// differ, never all of it: 'K' suggests nothing); "" otherwise.
std::string closest(std::string_view name, const std::vector<std::string>& candidates);

// " (did you mean 'X'?)" or "".
std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates);

// "file:line:col".
std::string where(std::string_view file, uint32_t line, uint32_t col);

}  // namespace plc::lang
