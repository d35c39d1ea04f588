#include "runtime/fourdiac/standard_body.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "runtime/fourdiac/library_element.h"
#include "runtime/type_library.h"

namespace plc::fourdiac {
namespace {

bool is_layout_or_documentation(const char* attribute) {
  for (const char* a : {"x", "y", "dx1", "dx2", "dy", "Comment"})
    if (std::strcmp(a, attribute) == 0) return true;
  return false;
}

char upper(char c) { return char(std::toupper(static_cast<unsigned char>(c))); }

// ST without comments and whitespace, in upper case; string literals as
// written.
std::string st_text(std::string_view s) {
  std::string out;
  for (size_t k = 0; k < s.size();) {
    const char c = s[k];
    if (c == '\'' || c == '"') {
      const size_t end = s.find(c, k + 1);
      const size_t stop = end == std::string_view::npos ? s.size() : end + 1;
      out.append(s.substr(k, stop - k));
      k = stop;
    } else if (s.compare(k, 2, "(*") == 0 || s.compare(k, 2, "/*") == 0) {
      const size_t end = s.find(c == '(' ? "*)" : "*/", k + 2);
      k = end == std::string_view::npos ? s.size() : end + 2;
    } else if (s.compare(k, 2, "//") == 0) {
      const size_t end = s.find('\n', k);
      k = end == std::string_view::npos ? s.size() : end;
    } else {
      if (!std::isspace(static_cast<unsigned char>(c))) out += upper(c);
      ++k;
    }
  }
  return out;
}

// An algorithm's ST with 4diac's "ALGORITHM Name ... END_ALGORITHM" wrapping
// taken off, so that both ways of writing it compare equal.
std::string algorithm_text(std::string_view text, std::string_view name) {
  std::string s = st_text(text);
  std::string head = "ALGORITHM";
  for (char c : name) head += upper(c);
  const std::string tail = "END_ALGORITHM";
  if (s.rfind(head, 0) == 0 && s.size() >= head.size() + tail.size() &&
      s.compare(s.size() - tail.size(), tail.size(), tail) == 0)
    s = s.substr(head.size(), s.size() - head.size() - tail.size());
  return s;
}

void start_tag(pugi::xml_node n, std::string& out) {
  out += '<';
  out += n.name();
  std::vector<std::pair<std::string, std::string>> attributes;
  const bool st = std::strcmp(n.name(), "ST") == 0;
  for (pugi::xml_attribute a : n.attributes()) {
    if (is_layout_or_documentation(a.name()) || (st && std::strcmp(a.name(), "Text") == 0)) continue;
    std::string v = std::strcmp(a.name(), "Type") == 0 ? std::string(unqualified(a.value())) : st_text(a.value());
    attributes.emplace_back(a.name(), std::move(v));
  }
  if (st)  // the text in its attribute or as the element's text
    attributes.emplace_back("Text", algorithm_text(n.attribute("Text") ? n.attribute("Text").value() : n.child_value(),
                                                   n.parent().attribute("Name").value()));
  std::sort(attributes.begin(), attributes.end());
  for (const auto& [name, value] : attributes) out += " " + name + "=" + value;
  out += '>';
}

// The elements under `body` in document order, each with its attributes
// and then its children. Iterative: a file may nest as deep as it likes.
std::string canonical(pugi::xml_node body) {
  std::string out;
  std::vector<std::pair<pugi::xml_node, bool>> todo{{body, false}};  // node, whether to close it
  while (!todo.empty()) {
    auto [n, close] = todo.back();
    todo.pop_back();
    if (close) {
      out += "</>";
      continue;
    }
    start_tag(n, out);
    todo.push_back({n, true});
    for (pugi::xml_node c = n.last_child(); c; c = c.previous_sibling())
      if (c.type() == pugi::node_element && std::strcmp(c.name(), "Attribute") != 0) todo.push_back({c, false});
  }
  return out;
}

struct StandardBody {
  const char* type;
  uint64_t fingerprint;
};

// Generated from every version of the files in 4diac IDE's history (see
// the header); a new version of 4diac's library adds its lines here.
constexpr StandardBody kStandardBodies[] = {
    {"BOOL2BOOL", 0x5e96f427d9fb2fe7ull},
    {"BYTE2BYTE", 0x5e96f427d9fb2fe7ull},
    {"DINT2DINT", 0x5e96f427d9fb2fe7ull},
    {"DWORD2DWORD", 0x5e96f427d9fb2fe7ull},
    {"E_CTD", 0x1d47e36fd88046feull},
    {"E_CTD", 0x3a6a4bec48f16a3aull},
    {"E_CTD", 0xfcc7fe044cd2a2c1ull},
    {"E_CTU", 0x91a2dc2e3cfcff42ull},
    {"E_CTUD", 0x262498095a74fb77ull},
    {"E_CTUD", 0xcd7d438c2ba702c7ull},
    {"E_CYCLE", 0x9948a823fce82e66ull},
    {"E_DEMUX", 0xf97eb3b1df34582full},
    {"E_D_FF", 0xf9789dd4c9b10e9aull},
    {"E_F_TRIG", 0x96e264dc10fc105eull},
    {"E_MERGE", 0x04eec89440a30f9cull},
    {"E_N_TABLE", 0xb5a52c7941b8d830ull},
    {"E_N_TABLE", 0xe249a6fa9bb086e6ull},
    {"E_PERMIT", 0x3f10ff39075fa62dull},
    {"E_REND", 0x7fbe889812dba4c3ull},
    {"E_RS", 0xba892350337be533ull},
    {"E_RTimeOut", 0x8254f1dfc831253bull},
    {"E_R_TRIG", 0xb5d5677c3f0e31b1ull},
    {"E_SELECT", 0xbff74ab8050c5d87ull},
    {"E_SPLIT", 0x690ea6ab928c8937ull},
    {"E_SR", 0xba892350337be533ull},
    {"E_STOPWATCH", 0x0fdce4ec8982ab2cull},
    {"E_STOPWATCH", 0x201d47e7191ad4e0ull},
    {"E_STOPWATCH", 0x92c4425f623c5f20ull},
    {"E_STOPWATCH", 0xe3365440054cf95eull},
    {"E_SWITCH", 0x3de8a476ead0b4c1ull},
    {"E_TABLE", 0x6fc4c1af07d30ddfull},
    {"E_TABLE", 0xefa971eef9df0649ull},
    {"E_TABLE_CTRL", 0x0beb07c214b1016eull},
    {"E_TABLE_CTRL", 0xe0c20fba78273308ull},
    {"E_TRAIN", 0xbfb4c5dac3b59e72ull},
    {"E_TRAIN", 0xcab51ab5c49993e0ull},
    {"E_T_FF", 0x86ee8c3fa372a6ddull},
    {"E_TimeOut", 0x64d1d6846df83373ull},
    {"FB_CTD", 0x8496ee0e931687fcull},
    {"FB_CTD_DINT", 0x256313fa8360d5a1ull},
    {"FB_CTD_LINT", 0x395ab1fe2af47787ull},
    {"FB_CTD_UDINT", 0x6d0ca6678aa20d8full},
    {"FB_CTD_ULINT", 0x6d0ca6678aa20d8full},
    {"FB_CTU", 0xe4fb07741e068c17ull},
    {"FB_CTUD", 0xe1c83739323ca758ull},
    {"FB_CTUD_DINT", 0x8088fa3fe8a011fcull},
    {"FB_CTUD_LINT", 0xd4405da7a109456cull},
    {"FB_CTUD_ULINT", 0x9fccdbe5a745d491ull},
    {"FB_CTU_DINT", 0x8cc86e5b57231458ull},
    {"FB_CTU_LINT", 0xd40930b908c4b3a2ull},
    {"FB_CTU_UDINT", 0x82e26c0c20a5146full},
    {"FB_CTU_ULINT", 0x21839f9eb86727d5ull},
    {"FB_F_TRIG", 0x812a499c3160cc0full},
    {"FB_RANDOM", 0x43743cde18367773ull},
    {"FB_RS", 0x2f5f370c4b687139ull},
    {"FB_R_TRIG", 0x2edb702fd6938c49ull},
    {"FB_SR", 0x197020fda7313fd9ull},
    {"F_BOOL_TO_BYTE", 0x014707d7ff1e7dc1ull},
    {"F_BOOL_TO_DINT", 0x445272d8ecf514ccull},
    {"F_BOOL_TO_DWORD", 0x36224d0f29e5eb55ull},
    {"F_BOOL_TO_INT", 0xee259a3c1f96d72aull},
    {"F_BOOL_TO_LINT", 0x6dca1a1a6969ccc4ull},
    {"F_BOOL_TO_LWORD", 0xcad72472a3c618cdull},
    {"F_BOOL_TO_SINT", 0x386bee0195d85921ull},
    {"F_BOOL_TO_UDINT", 0xb769d57b517ac57bull},
    {"F_BOOL_TO_UINT", 0x6fe06414067b990bull},
    {"F_BOOL_TO_ULINT", 0xbe0335639dc7d0f3ull},
    {"F_BOOL_TO_USINT", 0x9c19e9ab08a06e92ull},
    {"F_BOOL_TO_WORD", 0x2cba175a8cf75d9full},
    {"F_BYTE_BCD_TO_USINT", 0x690189b1dbed4c3eull},
    {"F_BYTE_TO_DINT", 0x5ca06dc9c62e20e6ull},
    {"F_BYTE_TO_DWORD", 0x400924003a37e93bull},
    {"F_BYTE_TO_INT", 0x4e5e9a8ce21f59d8ull},
    {"F_BYTE_TO_LINT", 0xdade4634b364350eull},
    {"F_BYTE_TO_LWORD", 0x9b610c4aec15e003ull},
    {"F_BYTE_TO_SINT", 0x93fe61ccdbc3bfb7ull},
    {"F_BYTE_TO_UDINT", 0xf2fb83035c660099ull},
    {"F_BYTE_TO_UINT", 0x57f982b7bfa36f25ull},
    {"F_BYTE_TO_ULINT", 0x8f7eac2210961041ull},
    {"F_BYTE_TO_USINT", 0x71ff619d53ddd1e4ull},
    {"F_BYTE_TO_WORD", 0xbd3266f95fe36cd1ull},
    {"F_DINT_TO_BYTE", 0x53fa77cea669d0daull},
    {"F_DINT_TO_DWORD", 0xca76df844cf60c78ull},
    {"F_DINT_TO_INT", 0x4671cb4e60699bffull},
    {"F_DINT_TO_LINT", 0x5e96f427d9fb2fe7ull},
    {"F_DINT_TO_LINT", 0xeaddddd53447b2d7ull},
    {"F_DINT_TO_LREAL", 0x5e96f427d9fb2fe7ull},
    {"F_DINT_TO_LREAL", 0x7e54f6db698bab2cull},
    {"F_DINT_TO_LWORD", 0xfdc3b6fdd81ef690ull},
    {"F_DINT_TO_REAL", 0xa7aa933130b12414ull},
    {"F_DINT_TO_SINT", 0x17ec470622726a2eull},
    {"F_DINT_TO_UDINT", 0xe23f85caf3f517beull},
    {"F_DINT_TO_UINT", 0xa54edf96aafa2320ull},
    {"F_DINT_TO_ULINT", 0x83c54d683235f4d6ull},
    {"F_DINT_TO_USINT", 0x0b7a83e4bbfb992full},
    {"F_DINT_TO_WORD", 0xd5cdf12c1a3087f8ull},
    {"F_DT_TO_DATE", 0xc38e13f56fb8d01bull},
    {"F_DT_TO_TOD", 0x07bf30e611ab43d0ull},
    {"F_DWORD_BCD_TO_UDINT", 0x18f931b3d2f0ff75ull},
    {"F_DWORD_TO_BYTE", 0x6e8007b741c53429ull},
    {"F_DWORD_TO_DINT", 0xf4dc761adb2c7964ull},
    {"F_DWORD_TO_INT", 0x65c70ea172a18112ull},
    {"F_DWORD_TO_LINT", 0xf763798bf911366cull},
    {"F_DWORD_TO_LWORD", 0x97addfa77a506eb5ull},
    {"F_DWORD_TO_REAL", 0xb9fe23e95fd21e0full},
    {"F_DWORD_TO_SINT", 0x75d89780e3b4a819ull},
    {"F_DWORD_TO_UDINT", 0x73f862f692c69c83ull},
    {"F_DWORD_TO_UINT", 0x5908572517a788a3ull},
    {"F_DWORD_TO_ULINT", 0x70dc5ffb80a6398bull},
    {"F_DWORD_TO_USINT", 0x8bd2daf0359e0edaull},
    {"F_DWORD_TO_WORD", 0xef6fd1b5206df827ull},
    {"F_INT_TO_BYTE", 0xc3e876488b65535aull},
    {"F_INT_TO_DINT", 0x5e96f427d9fb2fe7ull},
    {"F_INT_TO_DINT", 0x87417a96736a47ffull},
    {"F_INT_TO_DWORD", 0xf760c8a46454cbf8ull},
    {"F_INT_TO_LINT", 0x5acbdc4f19433557ull},
    {"F_INT_TO_LINT", 0x5e96f427d9fb2fe7ull},
    {"F_INT_TO_LREAL", 0x5e96f427d9fb2fe7ull},
    {"F_INT_TO_LREAL", 0xab3edffb80ea6aacull},
    {"F_INT_TO_LWORD", 0x2aada01def7db610ull},
    {"F_INT_TO_REAL", 0x179891ab15aca694ull},
    {"F_INT_TO_REAL", 0x5e96f427d9fb2fe7ull},
    {"F_INT_TO_SINT", 0x87da4580076decaeull},
    {"F_INT_TO_UDINT", 0x0f296eeb0b53d73eull},
    {"F_INT_TO_UINT", 0x153cde108ff5a5a0ull},
    {"F_INT_TO_ULINT", 0xb0af36884994b456ull},
    {"F_INT_TO_USINT", 0x38646d04d35a58afull},
    {"F_INT_TO_WORD", 0x45bbefa5ff2c0a78ull},
    {"F_LINT_TO_BYTE", 0xaffa95767ff082a2ull},
    {"F_LINT_TO_DINT", 0x1a9c10dc3499f037ull},
    {"F_LINT_TO_DWORD", 0xd0b58cb86aa3d930ull},
    {"F_LINT_TO_INT", 0xad1858ee250d7ba7ull},
    {"F_LINT_TO_LREAL", 0x682b97c01ea14eb4ull},
    {"F_LINT_TO_LWORD", 0xa5c812658228db98ull},
    {"F_LINT_TO_REAL", 0x93d6f1c9dcf7935cull},
    {"F_LINT_TO_SINT", 0xe33e1cd91f045166ull},
    {"F_LINT_TO_UDINT", 0x186aad036dc3c466ull},
    {"F_LINT_TO_UINT", 0xee406eda1c2e6858ull},
    {"F_LINT_TO_ULINT", 0x96a8856e5af9d88eull},
    {"F_LINT_TO_USINT", 0x4fc8a10683596337ull},
    {"F_LINT_TO_WORD", 0xe67712c5ff2f57a0ull},
    {"F_LREAL_TO_DINT", 0xe9937295ea83bc58ull},
    {"F_LREAL_TO_INT", 0x83e6bf39bd3e1d76ull},
    {"F_LREAL_TO_LINT", 0xac7dbc1efb97ba00ull},
    {"F_LREAL_TO_LWORD", 0x1aeed9022c8e9759ull},
    {"F_LREAL_TO_REAL", 0xf518a14559690c2bull},
    {"F_LREAL_TO_SINT", 0xd9ea3582e6cef3a5ull},
    {"F_LREAL_TO_UDINT", 0x1e24d6361cdfd067ull},
    {"F_LREAL_TO_UINT", 0x15ef149802ef4437ull},
    {"F_LREAL_TO_ULINT", 0x67f77d347ef71dcfull},
    {"F_LREAL_TO_USINT", 0x942de225436d55f6ull},
    {"F_LWORD_BCD_TO_ULINT", 0x485ba8d728f64cc5ull},
    {"F_LWORD_TO_BYTE", 0x6da995731b5abe71ull},
    {"F_LWORD_TO_DINT", 0xd219823b7217f9dcull},
    {"F_LWORD_TO_DWORD", 0x740a56b217dd5425ull},
    {"F_LWORD_TO_INT", 0x70f0da00b8d697daull},
    {"F_LWORD_TO_LINT", 0xf905abbb9b039994ull},
    {"F_LWORD_TO_LREAL", 0x0060be5c2f36e285ull},
    {"F_LWORD_TO_SINT", 0x1bd5ecb8a2e3ed11ull},
    {"F_LWORD_TO_UDINT", 0x57db0fa46377be0bull},
    {"F_LWORD_TO_UINT", 0xf828f388cf18ad3bull},
    {"F_LWORD_TO_ULINT", 0x5af7129f75982103ull},
    {"F_LWORD_TO_USINT", 0x43fe00781955db42ull},
    {"F_LWORD_TO_WORD", 0x25b86108e467aa8full},
    {"F_REAL_TO_DINT", 0x6e3f5e848b2ab280ull},
    {"F_REAL_TO_DWORD", 0xe9ee4b95234ad8d9ull},
    {"F_REAL_TO_INT", 0x8998d2d0a582356eull},
    {"F_REAL_TO_LINT", 0xab5514fb7a16b4d8ull},
    {"F_REAL_TO_LREAL", 0x546e513e86ab1e51ull},
    {"F_REAL_TO_LREAL", 0x5e96f427d9fb2fe7ull},
    {"F_REAL_TO_SINT", 0x60e51de48ba9784dull},
    {"F_REAL_TO_UDINT", 0xd25b5b6ee433041full},
    {"F_REAL_TO_UINT", 0xc09e680b8e48dbdfull},
    {"F_REAL_TO_ULINT", 0x694754d4a4b9cef7ull},
    {"F_REAL_TO_USINT", 0x315b6dd55b87714eull},
    {"F_SINT_TO_BYTE", 0xfe18058f8a066abfull},
    {"F_SINT_TO_DINT", 0x5e96f427d9fb2fe7ull},
    {"F_SINT_TO_DINT", 0xb9cea8f1997d30b2ull},
    {"F_SINT_TO_DWORD", 0x71f6f51e6444a487ull},
    {"F_SINT_TO_INT", 0x5e96f427d9fb2fe7ull},
    {"F_SINT_TO_INT", 0xde2844b491d75384ull},
    {"F_SINT_TO_LINT", 0x57126346d1cef04aull},
    {"F_SINT_TO_LINT", 0x5e96f427d9fb2fe7ull},
    {"F_SINT_TO_LREAL", 0x5e96f427d9fb2fe7ull},
    {"F_SINT_TO_LREAL", 0xacc188612c70e2e7ull},
    {"F_SINT_TO_LWORD", 0x03aca87704b0aa7full},
    {"F_SINT_TO_REAL", 0x5e96f427d9fb2fe7ull},
    {"F_SINT_TO_REAL", 0xd3b1ef1e1e64fe95ull},
    {"F_SINT_TO_UDINT", 0xcd959c9c46888515ull},
    {"F_SINT_TO_UINT", 0x5c784a859899d271ull},
    {"F_SINT_TO_ULINT", 0x1704f5727dd722bdull},
    {"F_SINT_TO_USINT", 0xc10154d2136b4168ull},
    {"F_SINT_TO_WORD", 0x200a01e283dc658dull},
    {"F_STRING_TO_WSTRING", 0xb95d2ff52c90ee4cull},
    {"F_TIME_IN_MS_TO_LINT", 0x31cc3c4fe4fcf0aeull},
    {"F_TIME_IN_MS_TO_LREAL", 0x746420cd77640183ull},
    {"F_TIME_IN_MS_TO_ULINT", 0x57c604d38688e921ull},
    {"F_TIME_IN_NS_TO_LINT", 0xfb1d617779543213ull},
    {"F_TIME_IN_NS_TO_LREAL", 0x7aacbcc7fc73ebc0ull},
    {"F_TIME_IN_NS_TO_ULINT", 0xc3e499bf2c9833e2ull},
    {"F_TIME_IN_S_TO_LINT", 0x19d4a6de08f7f6d9ull},
    {"F_TIME_IN_S_TO_LREAL", 0x5e869aac51d27b72ull},
    {"F_TIME_IN_S_TO_ULINT", 0xd6dc326dfefce61cull},
    {"F_TIME_IN_US_TO_LINT", 0x9628c487e507bb76ull},
    {"F_TIME_IN_US_TO_LREAL", 0xc4e5a512f500862bull},
    {"F_TIME_IN_US_TO_ULINT", 0x8e4dd157388432b9ull},
    {"F_UDINT_TO_BCD_DWORD", 0x0360497723bf3ee1ull},
    {"F_UDINT_TO_BYTE", 0xff39b09ef8745037ull},
    {"F_UDINT_TO_DINT", 0x099466afc7627ebaull},
    {"F_UDINT_TO_DWORD", 0xf88a51c091adb3afull},
    {"F_UDINT_TO_INT", 0x401ec36fc42fc6fcull},
    {"F_UDINT_TO_LINT", 0x3023f560c7168322ull},
    {"F_UDINT_TO_LINT", 0x5e96f427d9fb2fe7ull},
    {"F_UDINT_TO_LREAL", 0x5e96f427d9fb2fe7ull},
    {"F_UDINT_TO_LREAL", 0xee5a79a93cdde7bfull},
    {"F_UDINT_TO_LWORD", 0xd6c775f9d48e2bb7ull},
    {"F_UDINT_TO_REAL", 0xb27f7ea5ca80a28dull},
    {"F_UDINT_TO_SINT", 0x97d1621deb620463ull},
    {"F_UDINT_TO_UINT", 0x27fc71b4dbcee3d9ull},
    {"F_UDINT_TO_ULINT", 0x5e96f427d9fb2fe7ull},
    {"F_UDINT_TO_ULINT", 0xb4978f941cbdf1a5ull},
    {"F_UDINT_TO_USINT", 0x872b16303186b800ull},
    {"F_UDINT_TO_WORD", 0x04c2561fa7ea0805ull},
    {"F_UINT_TO_BCD_WORD", 0x3976de3f34252a91ull},
    {"F_UINT_TO_BYTE", 0xd9d7b11d4d0a8351ull},
    {"F_UINT_TO_DINT", 0x57637645b4f20a3cull},
    {"F_UINT_TO_DINT", 0x5e96f427d9fb2fe7ull},
    {"F_UINT_TO_DWORD", 0x63f90c8ec8731045ull},
    {"F_UINT_TO_INT", 0xc074f06716768efaull},
    {"F_UINT_TO_LINT", 0x5e96f427d9fb2fe7ull},
    {"F_UINT_TO_LINT", 0xea26c392870f1e74ull},
    {"F_UINT_TO_LREAL", 0x157ab2e7c26205a5ull},
    {"F_UINT_TO_LREAL", 0x5e96f427d9fb2fe7ull},
    {"F_UINT_TO_LWORD", 0x291110d7d706c63dull},
    {"F_UINT_TO_REAL", 0x3041c51b72ab3fb7ull},
    {"F_UINT_TO_REAL", 0x5e96f427d9fb2fe7ull},
    {"F_UINT_TO_SINT", 0x18730d982933e2f1ull},
    {"F_UINT_TO_UDINT", 0x0c875f64c17f1c2bull},
    {"F_UINT_TO_UDINT", 0x5e96f427d9fb2fe7ull},
    {"F_UINT_TO_ULINT", 0x1677213a9c337723ull},
    {"F_UINT_TO_ULINT", 0x5e96f427d9fb2fe7ull},
    {"F_UINT_TO_USINT", 0x12b2ddaf2bbea8e2ull},
    {"F_UINT_TO_WORD", 0x1a18733b6b0d7befull},
    {"F_ULINT_TO_BCD_LWORD", 0xc486dbfdc944f2f1ull},
    {"F_ULINT_TO_BYTE", 0x40b248b583f793efull},
    {"F_ULINT_TO_DINT", 0x6d3cd385bcfdec42ull},
    {"F_ULINT_TO_DWORD", 0xc307e4600a9a3e97ull},
    {"F_ULINT_TO_INT", 0xc9a37875ef37e3f4ull},
    {"F_ULINT_TO_LINT", 0x9c105da6bc17a45aull},
    {"F_ULINT_TO_LREAL", 0x2c07c36439f77bd7ull},
    {"F_ULINT_TO_LWORD", 0xad5194206befe80full},
    {"F_ULINT_TO_REAL", 0xff279151bfa99e25ull},
    {"F_ULINT_TO_SINT", 0x8119e2b2071fcf0bull},
    {"F_ULINT_TO_UDINT", 0x614a467d5be809a5ull},
    {"F_ULINT_TO_UINT", 0x49a56c9f967c8f21ull},
    {"F_ULINT_TO_USINT", 0x70f383905f9cd258ull},
    {"F_ULINT_TO_WORD", 0x12bdef41d44e5ebdull},
    {"F_USINT_TO_BCD_BYTE", 0x53e915886ffc81acull},
    {"F_USINT_TO_BYTE", 0xdfd2e750bb7bb832ull},
    {"F_USINT_TO_DINT", 0x5e96f427d9fb2fe7ull},
    {"F_USINT_TO_DINT", 0xaa5e6e45731e6567ull},
    {"F_USINT_TO_DWORD", 0x314d1dbfeee88160ull},
    {"F_USINT_TO_INT", 0x5e96f427d9fb2fe7ull},
    {"F_USINT_TO_INT", 0xc1a25c270db9db37ull},
    {"F_USINT_TO_LINT", 0x5e96f427d9fb2fe7ull},
    {"F_USINT_TO_LINT", 0xf4311543d535b2cfull},
    {"F_USINT_TO_LREAL", 0x5e96f427d9fb2fe7ull},
    {"F_USINT_TO_LREAL", 0x9aaa071c295a7544ull},
    {"F_USINT_TO_LWORD", 0x330ce37d4f3538c8ull},
    {"F_USINT_TO_REAL", 0x3b2dacd88b39264cull},
    {"F_USINT_TO_REAL", 0x5e96f427d9fb2fe7ull},
    {"F_USINT_TO_SINT", 0x20677a3499abeaf6ull},
    {"F_USINT_TO_UDINT", 0x5e96f427d9fb2fe7ull},
    {"F_USINT_TO_UDINT", 0x881a7410dfeb1416ull},
    {"F_USINT_TO_UINT", 0x2a0fecf5e74f88a8ull},
    {"F_USINT_TO_UINT", 0x5e96f427d9fb2fe7ull},
    {"F_USINT_TO_ULINT", 0x5e96f427d9fb2fe7ull},
    {"F_USINT_TO_ULINT", 0xaf331f2ce4356cfeull},
    {"F_USINT_TO_WORD", 0xc0527ce75be02a30ull},
    {"F_WORD_BCD_TO_UINT", 0x58985fe61790f211ull},
    {"F_WORD_TO_BYTE", 0x9b69f0d75923f3a9ull},
    {"F_WORD_TO_DINT", 0x21c65f3af28b38e4ull},
    {"F_WORD_TO_DWORD", 0xbd9d1250e0d4fe2dull},
    {"F_WORD_TO_INT", 0xd5b50d1b579d0392ull},
    {"F_WORD_TO_LINT", 0x244d62ac106ff5ecull},
    {"F_WORD_TO_LWORD", 0x47e4812f304fd535ull},
    {"F_WORD_TO_SINT", 0xa2c280a0fb136799ull},
    {"F_WORD_TO_UDINT", 0x242f047e48c60303ull},
    {"F_WORD_TO_UINT", 0x85f240452f064823ull},
    {"F_WORD_TO_ULINT", 0x2113018336a5a00bull},
    {"F_WORD_TO_USINT", 0x3c097c77eb9d755aull},
    {"F_WSTRING_TO_STRING", 0x3025aa47a136d488ull},
    {"INT2INT", 0x5e96f427d9fb2fe7ull},
    {"LREAL2LREAL", 0x5e96f427d9fb2fe7ull},
    {"REAL2REAL", 0x5e96f427d9fb2fe7ull},
    {"RT_E_TRAIN", 0x141bcfd5b8587e76ull},
    {"SINT2SINT", 0x5e96f427d9fb2fe7ull},
    {"STRING2STRING", 0x5e96f427d9fb2fe7ull},
    {"STRUCT_DEMUX", 0x47f23cbd06d194ddull},
    {"STRUCT_MUX", 0x9e9ff1b62ed2b688ull},
    {"TIME2TIME", 0x5e96f427d9fb2fe7ull},
    {"UDINT2UDINT", 0x5e96f427d9fb2fe7ull},
    {"UINT2UINT", 0x5e96f427d9fb2fe7ull},
    {"USINT2USINT", 0x5e96f427d9fb2fe7ull},
    {"WORD2WORD", 0x5e96f427d9fb2fe7ull},
    {"WSTRING2WSTRING", 0x5e96f427d9fb2fe7ull},
};

}  // namespace

pugi::xml_node fb_type_body(pugi::xml_node fb_type) {
  for (const char* kind : {"BasicFB", "SimpleFB", "FBNetwork"})
    if (pugi::xml_node body = fb_type.child(kind)) return body;
  return {};
}

uint64_t body_fingerprint(pugi::xml_node body) {
  const std::string text = canonical(body);
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

bool is_standard_body(std::string_view type, pugi::xml_node body) {
  const uint64_t f = body_fingerprint(body);
  return std::any_of(std::begin(kStandardBodies), std::end(kStandardBodies),
                     [&](const StandardBody& b) { return b.fingerprint == f && same_identifier(b.type, type); });
}

}  // namespace plc::fourdiac
