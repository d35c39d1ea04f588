// Helpers for the 4diac importer tests: a temporary folder of 4diac files,
// a type library over it, and small XML builders.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "runtime/fourdiac/sys_importer.h"
#include "runtime/fourdiac/type_folder.h"
#include "runtime/language/compiler.h"
#include "tests/language_support.h"

namespace plc::test {

// A folder of files that disappears with the test.
class TempFolder {
 public:
  TempFolder() {
    const char* base = std::getenv("TEST_TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/plc_4diac_XXXXXX";
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    if (!mkdtemp(buf.data())) FAIL("mkdtemp failed");
    dir_ = buf.data();
  }
  ~TempFolder() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;

  // Writes `text` to `relative` (subfolders are created).
  std::filesystem::path write(const std::string& relative, const std::string& text) const {
    std::filesystem::path p = dir_ / relative;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
};

// 4diac files in a temporary folder, and what loading them gives.
struct FourdiacFolder {
  TempFolder tmp;
  TypeLibrary lib = base_library();
  lang::TypeScope scope;
  Diagnostics diags;
  std::unique_ptr<fourdiac::TypeFolder> folder;

  void write(const std::string& relative, const std::string& text) { tmp.write(relative, text); }
  // The type library over the folder (indexed at the first call: write files first).
  fourdiac::TypeFolder& types() {
    if (!folder) folder = std::make_unique<fourdiac::TypeFolder>(std::vector{tmp.dir()}, lib, scope, diags);
    return *folder;
  }
  bool require(const std::string& type) { return types().require(type); }
  // Imports and checks a .sys of the folder.
  std::optional<lang::SystemDef> system(const std::string& relative, fourdiac::ImportedSystem* imported = nullptr) {
    const std::string path = (tmp.dir() / relative).string();
    fourdiac::LibraryElement x(path, repo_file(path), diags);
    if (!x.ok()) return std::nullopt;
    fourdiac::ImportedSystem sys = fourdiac::import_system(x, types());
    lang::Compiled out;
    const bool ok = sys.complete && lang::check(path, sys.file, lib, scope, diags, &out);
    if (imported) *imported = std::move(sys);
    if (!ok || out.systems.empty()) return std::nullopt;
    return std::move(out.systems[0]);
  }
  // The diagnostics as text, with the folder's path left out.
  std::string report() const {
    std::string s = diags.str(), dir = tmp.dir().string() + "/";
    for (size_t k; (k = s.find(dir)) != std::string::npos;) s.erase(k, dir.size());
    return s;
  }
};

// An FBType document: `interface` goes inside InterfaceList, `body` after it.
inline std::string fbt(const std::string& name, const std::string& interface, const std::string& body,
                       const std::string& root_attributes = "") {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<FBType Name=\"" + name + "\" Comment=\"test\"" +
         root_attributes + ">\n<InterfaceList>\n" + interface + "</InterfaceList>\n" + body + "</FBType>\n";
}

// REQ WITH IN -> CNF WITH OUT, both of `type`.
inline std::string req_cnf(const std::string& type, const std::string& in_extra = "",
                           const std::string& out_extra = "") {
  return "<EventInputs><Event Name=\"REQ\" Type=\"Event\"><With Var=\"IN\"/></Event></EventInputs>\n"
         "<EventOutputs><Event Name=\"CNF\" Type=\"Event\"><With Var=\"OUT\"/></Event></EventOutputs>\n"
         "<InputVars><VarDeclaration Name=\"IN\" Type=\"" +
         type + "\"" + in_extra +
         "/></InputVars>\n"
         "<OutputVars><VarDeclaration Name=\"OUT\" Type=\"" +
         type + "\"" + out_extra + "/></OutputVars>\n";
}

// A SimpleFB whose REQ runs `st` (4diac's ALGORITHM wrapping).
inline std::string simple_fb(const std::string& name, const std::string& type, const std::string& st) {
  return fbt(name, req_cnf(type),
             "<SimpleFB><Algorithm Name=\"REQ\"><ST><![CDATA[ALGORITHM REQ\n" + st +
                 "\nEND_ALGORITHM]]></ST></Algorithm></SimpleFB>\n");
}

}  // namespace plc::test
