// libFuzzer target over the 4diac XML importer: the input is one 4diac IDE
// file, read (LibraryElement, pugixml), imported (runtime/fourdiac/) and
// checked (lang::check) the way `plc check` does it for that kind of file
// (tools/plc/plc_main.cc, TypeFolder::load_fb_type). The importer promises
// never to crash, whatever the bytes, and to give every error a location
// (library_element.h); ASan and UBSan turn a crash into a finding, and an
// error without "file:line:col", or a failure without any error, traps.
//
// - The kind of file is the root element the text names first: "<FBType"
//   (.fbt, also the default), "<AdapterType" (.adp), "<DataType" (.dtp),
//   "<System" (.sys). So the seeds stay plain 4diac files (4diac's own
//   examples can seed it unchanged), and a mutation that puts another root
//   first (in a comment, say) feeds a file of one kind to another's importer.
// - The types the input uses come from a TypeFolder over the standard
//   blocks and a few helper files (an adapter, a structure, an FB with a
//   socket, one with a plug), written once per process into a temporary
//   folder, so .sys and composite inputs can reach adapters and data types.
// FOURDIAC_FUZZ_PRINT=1 prints what the importer says about each input
// (to see whether a seed is valid).
// Built and run by tests/fuzz/run.sh (clang; Bazel's toolchain is gcc).
#include <stdlib.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/fourdiac/adapter_type.h"
#include "runtime/fourdiac/dtp_importer.h"
#include "runtime/fourdiac/fbt_importer.h"
#include "runtime/fourdiac/library_element.h"
#include "runtime/fourdiac/sys_importer.h"
#include "runtime/fourdiac/type_folder.h"
#include "runtime/language/compiler.h"
#include "runtime/process_image.h"
#include "runtime/type_library.h"

namespace {

namespace fs = std::filesystem;
using namespace plc;

enum class Kind { kFbt, kAdp, kDtp, kSys };

Kind kind_of(std::string_view text) {
  static constexpr std::pair<std::string_view, Kind> kRoots[] = {
      {"<FBType", Kind::kFbt}, {"<AdapterType", Kind::kAdp}, {"<DataType", Kind::kDtp}, {"<System", Kind::kSys}};
  Kind kind = Kind::kFbt;
  size_t first = std::string_view::npos;
  for (const auto& [tag, k] : kRoots)
    if (const size_t at = text.find(tag); at < first) {
      first = at;
      kind = k;
    }
  return kind;
}

const char* file_name(Kind k) {
  switch (k) {
    case Kind::kAdp: return "fuzz.adp";
    case Kind::kDtp: return "fuzz.dtp";
    case Kind::kSys: return "fuzz.sys";
    default: return "fuzz.fbt";
  }
}

// The helper types (their names are in fourdiac.dict): adapter A, structure
// S, SOCK (a basic FB with a socket of A and an S input), PLUG (a basic FB
// with a plug of A that answers REQ with CNF).
const std::pair<const char*, const char*> kHelpers[] = {
    {"A.adp", R"(<AdapterType Name="A"><InterfaceList>
  <EventInputs><Event Name="REQ"><With Var="DI"/></Event></EventInputs>
  <EventOutputs><Event Name="CNF"><With Var="DO"/></Event></EventOutputs>
  <InputVars><VarDeclaration Name="DI" Type="INT"/></InputVars>
  <OutputVars><VarDeclaration Name="DO" Type="INT"/></OutputVars>
</InterfaceList></AdapterType>
)"},
    {"S.dtp", R"(<DataType Name="S"><StructuredType>
  <VarDeclaration Name="X" Type="INT" InitialValue="1"/>
  <VarDeclaration Name="B" Type="BOOL"/>
</StructuredType></DataType>
)"},
    {"SOCK.fbt", R"(<FBType Name="SOCK"><InterfaceList>
  <EventInputs><Event Name="REQ"><With Var="IN"/></Event></EventInputs>
  <EventOutputs><Event Name="CNF"><With Var="OUT"/></Event></EventOutputs>
  <InputVars><VarDeclaration Name="IN" Type="INT"/><VarDeclaration Name="P" Type="S"/></InputVars>
  <OutputVars><VarDeclaration Name="OUT" Type="INT"/></OutputVars>
  <Sockets><AdapterDeclaration Name="adp" Type="A"/></Sockets>
</InterfaceList>
<BasicFB><ECC>
  <ECState Name="START"/>
  <ECState Name="Ask"><ECAction Algorithm="ask" Output="adp.REQ"/></ECState>
  <ECState Name="Got"><ECAction Algorithm="got" Output="CNF"/></ECState>
  <ECTransition Source="START" Destination="Ask" Condition="REQ"/>
  <ECTransition Source="Ask" Destination="Got" Condition="adp.CNF"/>
  <ECTransition Source="Got" Destination="START" Condition="1"/>
</ECC>
<Algorithm Name="ask"><ST><![CDATA[adp.DI := IN + P.X;]]></ST></Algorithm>
<Algorithm Name="got"><ST><![CDATA[OUT := adp.DO;]]></ST></Algorithm>
</BasicFB></FBType>
)"},
    {"PLUG.fbt", R"(<FBType Name="PLUG"><InterfaceList>
  <Plugs><AdapterDeclaration Name="adp" Type="A"/></Plugs>
</InterfaceList>
<BasicFB><ECC>
  <ECState Name="START"/>
  <ECState Name="Answer"><ECAction Algorithm="answer" Output="adp.CNF"/></ECState>
  <ECTransition Source="START" Destination="Answer" Condition="adp.REQ"/>
  <ECTransition Source="Answer" Destination="START" Condition="1"/>
</ECC>
<Algorithm Name="answer"><ST><![CDATA[adp.DO := adp.DI * 2;]]></ST></Algorithm>
</BasicFB></FBType>
)"},
};

// The helper files, in a folder of their own that lives as long as the
// process (left behind only when it crashes).
class Helpers {
 public:
  Helpers() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/plc_fourdiac_fuzz_XXXXXX";
    if (!mkdtemp(pattern.data())) {
      std::perror("fourdiac_fuzz: mkdtemp");
      std::abort();
    }
    dir_ = pattern;
    for (const auto& [name, text] : kHelpers) {
      files_.push_back(dir_ / name);
      std::ofstream(files_.back(), std::ios::binary) << text;
    }
  }
  ~Helpers() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  // The files themselves, not the folder: indexing them is a stat each.
  const std::vector<fs::path>& files() const { return files_; }
  std::string prefix() const { return dir_.string() + "/"; }

 private:
  fs::path dir_;
  std::vector<fs::path> files_;
};

TypeLibrary base_library() {
  TypeLibrary lib;
  add_standard_blocks(lib);
  add_process_image_blocks(lib);
  return lib;
}

// Imports and checks `x` as a file of kind `k`; true when it is valid.
bool import_and_check(Kind k, const fourdiac::LibraryElement& x, fourdiac::TypeFolder& folder) {
  lang::FileAst file;
  switch (k) {
    case Kind::kFbt: {
      // As TypeFolder::load_fb_type: a type plc implements natively is read
      // as its interface only (its file is named after it).
      const FbType* native = folder.library().find(x.root().attribute("Name").value());
      auto t = fourdiac::import_fb_type(x, folder, native && native->kind == FbKind::kNative);
      if (!t) return false;
      file.fb_types.push_back(std::move(t->ast));
      const size_t first = folder.diags().size();
      const bool ok = lang::check(x.file(), file, folder.library(), folder.scope(), folder.diags());
      folder.diags().sort_from(first);
      return ok;
    }
    case Kind::kAdp: return fourdiac::import_adapter_type(x, folder).has_value();
    case Kind::kDtp: {
      auto s = fourdiac::import_data_type(x, folder);
      if (!s) return false;
      file.structs.push_back(std::move(*s));
      return lang::check(x.file(), file, folder.library(), folder.scope(), folder.diags());
    }
    case Kind::kSys: {
      fourdiac::ImportedSystem sys = fourdiac::import_system(x, folder);
      return sys.complete && lang::check(x.file(), sys.file, folder.library(), folder.scope(), folder.diags());
    }
  }
  return false;
}

// "file:line:col" with line and column at least 1, in the input or in a
// helper file (an error of a helper type shows where it is used, but the
// language's checks of a type point into its own file).
bool located(const std::string& where, std::string_view input, std::string_view helpers) {
  const size_t c2 = where.rfind(':');
  if (c2 == std::string::npos || c2 == 0) return false;
  const size_t c1 = where.rfind(':', c2 - 1);
  if (c1 == std::string::npos) return false;
  auto positive = [](std::string_view digits) {
    if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string_view::npos)
      return false;
    return std::strtol(std::string(digits).c_str(), nullptr, 10) > 0;
  };
  const std::string_view w(where), file = w.substr(0, c1);
  return positive(w.substr(c1 + 1, c2 - c1 - 1)) && positive(w.substr(c2 + 1)) &&
         (file == input || file.substr(0, helpers.size()) == helpers);
}

[[noreturn]] void fail(const char* what, const Diagnostics& diags) {
  std::fprintf(stderr, "fourdiac_fuzz: %s\n%s", what, diags.str().c_str());
  __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Helpers helpers;
  static const TypeLibrary base = base_library();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const Kind kind = kind_of(text);
  // Every input starts from the same library, so a crash replays from its
  // file alone.
  TypeLibrary lib = base;
  lang::TypeScope scope;
  Diagnostics diags;
  fourdiac::TypeFolder folder(helpers.files(), lib, scope, diags);
  fourdiac::LibraryElement x(file_name(kind), std::string(text), diags);
  const bool ok = x.ok() && import_and_check(kind, x, folder);
  if (!ok && diags.error_count() == 0) fail("the file was refused without an error", diags);
  for (const Diagnostic& d : diags.list())
    if (!d.warning && !located(d.where, x.file(), helpers.prefix())) fail("an error without file:line:col", diags);
  const std::string report = diags.str();  // every diagnostic must be printable
  static const bool print = std::getenv("FOURDIAC_FUZZ_PRINT") != nullptr;
  if (print) std::fprintf(stderr, "%s: %s\n%s", file_name(kind), ok ? "valid" : "invalid", report.c_str());
  return 0;
}
