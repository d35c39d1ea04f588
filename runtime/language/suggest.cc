#include "runtime/language/suggest.h"

#include <algorithm>
#include <cctype>

namespace plc::lang {
namespace {

bool same(char a, char b) {
  return std::toupper(static_cast<unsigned char>(a)) == std::toupper(static_cast<unsigned char>(b));
}

// Edit distance with adjacent transpositions (optimal string alignment):
// "Raedy" is one edit from "Ready".
size_t distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i)
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (same(a[i - 1], b[j - 1]) ? 0 : 1)});
      if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) && same(a[i - 2], b[j - 1]))
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

}  // namespace

std::string closest(std::string_view name, const std::vector<std::string>& candidates) {
  if (name.size() > 64) return "";
  std::string best;
  size_t best_d = std::max<size_t>(1, (name.size() + 2) / 3) + 1;  // up to a third of the name may differ
  for (const auto& c : candidates) {
    if (c.empty() || c[0] == '$' || c.size() > 64) continue;
    size_t d = distance(name, c);
    if (d < best_d && d < name.size()) best_d = d, best = c;  // not a name of which nothing is left
  }
  return best;
}

std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates) {
  std::string c = closest(name, candidates);
  return c.empty() ? "" : " (did you mean '" + c + "'?)";
}

std::string where(std::string_view file, uint32_t line, uint32_t col) {
  return std::string(file) + ":" + std::to_string(line) + ":" + std::to_string(col);
}

}  // namespace plc::lang
