#include "runtime/fourdiac/load_file.h"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "runtime/fourdiac/device_type.h"
#include "runtime/fourdiac/library_element.h"
#include "runtime/fourdiac/resource_type.h"
#include "runtime/fourdiac/sys_importer.h"
#include "runtime/fourdiac/type_folder.h"

namespace plc::fourdiac {
namespace fs = std::filesystem;

namespace {

// The file's folder, then `folders`: where its types are looked up.
std::vector<fs::path> search_path(const std::string& file, const std::vector<std::string>& folders) {
  const fs::path parent = fs::path(file).parent_path();
  std::vector<fs::path> search{parent.empty() ? fs::path(".") : parent};
  for (const auto& f : folders) search.push_back(f);
  return search;
}

// The file's extension in lower case (".FBT" -> ".fbt"): 4diac IDE and the
// file systems it runs on do not care about case.
std::string kind_of(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  for (char& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

// 4diac IDE's other file kinds: recognised, so that they get one clear
// error instead of being read as something else.
const char* unsupported_kind(const std::string& ext) {
  if (ext == ".seg") return "segment types (.seg) are not read (segments are not needed to run)";
  if (ext == ".atp") return "attribute types (.atp) are not read (attributes are not needed to run)";
  if (ext == ".fct") return "function types (.fct) are not supported";
  return nullptr;
}

}  // namespace

bool is_4diac_file(const std::string& path) {
  const std::string ext = kind_of(path);
  return ext == ".fbt" || ext == ".sub" || ext == ".adp" || ext == ".dtp" || ext == ".res" || ext == ".dev" ||
         ext == ".sys" || unsupported_kind(ext);
}

bool load_file(const std::string& file, const std::vector<std::string>& folders, TypeLibrary& lib,
               lang::TypeScope& scope, Diagnostics& diags, lang::Compiled* out) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) {
    diags.error(file, "no such file");
    return false;
  }
  const std::string ext = kind_of(file);
  if (const char* why = unsupported_kind(ext)) {
    diags.error(file, why);
    return false;
  }
  TypeFolder folder(search_path(file, folders), lib, scope, diags);
  const size_t before = diags.error_count();
  const std::string stem = fs::path(file).stem().string();
  if (ext == ".fbt" || ext == ".sub") {
    folder.require(stem, file);
    if (out && diags.error_count() == before && lib.find(stem)) out->types.push_back(stem);
    return diags.error_count() == before;
  }
  std::string text;
  if (!read_file(file, text)) {
    diags.error(file, "cannot read the file");
    return false;
  }
  LibraryElement x(file, std::move(text), diags);
  if (!x.ok()) return false;
  if (ext == ".adp") folder.adapter_type(stem, x, x.root());
  else if (ext == ".dtp") folder.data_type(stem, x, x.root());
  else if (ext == ".res") import_resource_type(x, folder, folder.scope());
  else if (ext == ".dev") import_device_type(x, folder, folder.scope());
  else if (ext == ".sys") {
    ImportedSystem sys = import_system(x, folder);
    if (!sys.complete) return false;
    return lang::check(file, sys.file, lib, scope, diags, out);
  } else {
    diags.error(file, "not a 4diac file (.fbt, .sub, .adp, .dtp, .res, .dev or .sys)");
  }
  return diags.error_count() == before;
}

bool load_types_used(const std::string& file, const lang::FileAst& ast, const std::set<std::string>& defined,
                     const std::vector<std::string>& folders, TypeLibrary& lib, lang::TypeScope& scope,
                     Diagnostics& diags) {
  const size_t before = diags.error_count();
  TypeFolder folder(search_path(file, folders), lib, scope, diags);
  folder.require_used(ast, defined);
  return diags.error_count() == before;
}

}  // namespace plc::fourdiac
