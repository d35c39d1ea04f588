#include "runtime/fourdiac/type_folder.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "runtime/fourdiac/dtp_importer.h"
#include "runtime/fourdiac/fbt_importer.h"
#include "runtime/language/compiler.h"
#include "runtime/language/parser.h"
#include "runtime/language/suggest.h"

namespace plc::fourdiac {
namespace {

std::string key_of(const std::filesystem::path& p) { return identifier_key(p.stem().string()); }

}  // namespace

TypeFolder::TypeFolder(std::vector<std::filesystem::path> folders, TypeLibrary& lib, lang::TypeScope& scope,
                       Diagnostics& diags)
    : lib_(lib), scope_(scope), diags_(diags) {
  std::set<std::filesystem::path> seen;  // canonical: a file in two folders given (--lib DIR FILE) counts once
  int root = 0;
  auto add = [&](const std::filesystem::path& p) {
    const std::string ext = identifier_key(p.extension().string());
    Kind k;
    if (ext == ".FBT" || ext == ".SUB") k = Kind::kFbType;  // a typed SubApp is instantiated like an FB type
    else if (ext == ".ADP") k = Kind::kAdapterType;
    else if (ext == ".DTP") k = Kind::kDataType;
    else if (ext == ".RES") k = Kind::kResourceType;
    else if (ext == ".DEV") k = Kind::kDeviceType;
    else if (ext == ".ST") k = Kind::kSt;
    else return;
    std::error_code ec;
    std::filesystem::path canonical = std::filesystem::weakly_canonical(p, ec);
    if (!seen.insert(ec ? p.lexically_normal() : canonical).second) return;
    index_[key_of(p)].push_back({p, k, root});
  };
  for (const auto& folder : folders) {
    ++root;
    std::error_code ec;
    if (std::filesystem::is_regular_file(folder, ec)) {
      add(folder);
      continue;
    }
    if (!std::filesystem::is_directory(folder, ec)) {
      diags_.error(folder.string(), "no such type folder");
      continue;
    }
    for (auto it = std::filesystem::recursive_directory_iterator(
             folder, std::filesystem::directory_options::skip_permission_denied, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
      if (it->is_regular_file(ec)) add(it->path());
  }
  for (auto& [key, files] : index_)
    std::sort(files.begin(), files.end(),
              [](const File& a, const File& b) { return a.root != b.root ? a.root < b.root : a.path < b.path; });
}

std::vector<std::filesystem::path> TypeFolder::files() const {
  std::vector<std::filesystem::path> out;
  for (const auto& [key, files] : index_)
    for (const auto& f : files) out.push_back(f.path);
  std::sort(out.begin(), out.end());
  return out;
}

void TypeFolder::report(const LibraryElement* x, pugi::xml_node at, const std::string& message) {
  if (x) x->error(at, message);
  else diags_.error(where_, message);
}

std::vector<std::string> TypeFolder::candidates() const {
  std::vector<std::string> names = lib_.names();
  for (const auto& [key, files] : index_)
    for (const auto& f : files) names.push_back(f.path.stem().string());
  return names;
}

std::string TypeFolder::package_of_file(const File& f) {
  const std::string path = f.path.string();
  if (auto it = packages_.find(path); it != packages_.end()) return it->second;
  std::string text, package;
  Diagnostics ignored;
  if (read_file(f.path, text)) {
    LibraryElement x(path, text, ignored);
    if (x.ok()) {
      pugi::xml_node info = x.root().child("CompilerInfo");
      package = info.attribute("packageName").value();
      std::string header = info.attribute("header").value();  // older files: "package a.b;"
      if (package.empty() && header.rfind("package ", 0) == 0) {
        for (char c : header.substr(8))
          if (c == '.') package += "::";
          else if (c != ';' && c != ' ') package += c;
      }
    }
  }
  packages_[path] = package;
  return package;
}

const TypeFolder::File* TypeFolder::locate(std::string_view ref, std::initializer_list<Kind> kinds,
                                           std::string& problem) {
  auto it = index_.find(identifier_key(unqualified(ref)));
  if (it == index_.end()) return nullptr;
  std::vector<const File*> found;
  for (const auto& f : it->second)
    if (std::find(kinds.begin(), kinds.end(), f.kind) != kinds.end()) found.push_back(&f);
  if (found.size() > 1 && !package_of(ref).empty()) {
    std::vector<const File*> in_package;
    for (const File* f : found)
      if (package_of_file(*f) == package_of(ref)) in_package.push_back(f);
    found = in_package;
  }
  if (found.size() > 1 && !where_.empty()) {  // the file asked for on the command line is the one meant
    std::error_code ec;
    const auto asked = std::filesystem::weakly_canonical(where_, ec);
    for (const File* f : found)
      if (!ec && std::filesystem::weakly_canonical(f->path, ec) == asked) return f;
  }
  if (found.size() > 1) {  // the earliest folder shadows the later ones (found is sorted by root)
    const int first = found[0]->root;
    found.erase(std::remove_if(found.begin(), found.end(), [&](const File* f) { return f->root != first; }),
                found.end());
  }
  if (found.size() > 1) {
    problem = "type '" + std::string(ref) + "' is defined by " + std::to_string(found.size()) + " files (";
    for (size_t k = 0; k < found.size(); ++k) problem += (k ? ", " : "") + found[k]->path.string();
    problem += "); qualify it with its package";
    return nullptr;
  }
  return found.empty() ? nullptr : found[0];
}

bool TypeFolder::require(std::string_view name, const std::string& where) {
  const size_t before = diags_.error_count();
  where_ = where;
  const bool ok = !fb_type_at(name, nullptr, {}).empty() && diags_.error_count() == before;
  where_.clear();
  return ok;
}

void TypeFolder::require_used(const lang::FileAst& ast, const std::set<std::string>& defined) {
  std::set<std::string> own = defined;
  for (const auto& t : ast.fb_types) own.insert(identifier_key(t.name.text));
  auto in_folders = [&](const std::string& key) {
    auto it = index_.find(key);
    if (it == index_.end()) return false;
    return std::any_of(it->second.begin(), it->second.end(),
                       [](const File& f) { return f.kind == Kind::kFbType || f.kind == Kind::kSt; });
  };
  auto network = [&](const lang::NetworkAst& n) {
    for (const auto& fb : n.fbs) {
      const std::string name(unqualified(fb.type.text));
      const std::string key = identifier_key(name);
      if (own.count(key) || lib_.find(name) || !in_folders(key)) continue;
      fb_type_at(fb.type.text, nullptr, {});
    }
  };
  for (const auto& t : ast.fb_types) network(t.network);
  for (const auto& sys : ast.systems) {
    for (const auto& app : sys.applications) network(app.network);
    for (const auto& dev : sys.devices)
      for (const auto& res : dev.resources) network(res.network);
  }
}

std::string TypeFolder::fb_type(std::string_view ref, const LibraryElement& x, pugi::xml_node at) {
  return fb_type_at(ref, &x, at);
}

std::string TypeFolder::fb_type_at(std::string_view ref, const LibraryElement* x, pugi::xml_node at) {
  const std::string name(unqualified(ref));
  const std::string key = identifier_key(name);
  if (!is_identifier(name)) {
    report(x, at, "'" + std::string(ref) + "' is not a valid type name");
    return "";
  }
  if (auto it = fb_done_.find(key); it != fb_done_.end()) return it->second;
  if (failed_.count("FB " + key)) return "";
  if (loading_.count("FB " + key)) {
    report(x, at, "FB type '" + name + "' contains itself");
    return "";
  }
  std::string problem;
  const File* f = locate(ref, {Kind::kFbType, Kind::kSt}, problem);
  if (!problem.empty()) {
    report(x, at, problem);
    failed_.insert("FB " + key);
    return "";
  }
  if (!f) {
    if (const FbType* t = lib_.find(name)) return fb_done_[key] = t->name;
    report(x, at, "unknown FB type '" + std::string(ref) + "'" + lang::did_you_mean(name, candidates()));
    failed_.insert("FB " + key);
    return "";
  }
  if (depth_ >= kMaxDepth) {
    report(x, at, "types nested deeper than " + std::to_string(kMaxDepth) + " levels");
    return "";
  }
  loading_.insert("FB " + key);
  ++depth_;
  std::string got = f->kind == Kind::kSt ? load_st(*f, name)
                                         : load_fb_type(*f, name, x ? x->where(at) : std::string("the command line"));
  --depth_;
  loading_.erase("FB " + key);
  if (got.empty()) {
    failed_.insert("FB " + key);
    return "";
  }
  return fb_done_[key] = got;
}

std::string TypeFolder::load_fb_type(const File& f, std::string_view name, const std::string& ref_where) {
  std::string text;
  if (!read_file(f.path, text)) {
    diags_.error(f.path.string(), "cannot read the file (needed at " + ref_where + ")");
    return "";
  }
  LibraryElement x(f.path.string(), std::move(text), diags_);
  if (!x.ok()) return "";
  const FbType* native = lib_.find(name);
  const bool interface_only = native && native->kind == FbKind::kNative;
  auto t = import_fb_type(x, *this, interface_only);
  if (!t) return "";
  if (!same_identifier(t->ast.name.text, name)) {
    x.error(x.root(), "the file defines type '" + t->ast.name.text + "', not '" + std::string(name) + "'");
    return "";
  }
  const std::string declared = t->ast.name.text;
  lang::FileAst file;
  file.fb_types.push_back(std::move(t->ast));
  const size_t first = diags_.size();
  const bool ok = lang::check(x.file(), file, lib_, scope_, diags_);
  diags_.sort_from(first);
  if (!ok) return "";
  adapters_of_[identifier_key(declared)] = std::move(t->adapters);
  return declared;
}

std::string TypeFolder::load_st(const File& f, std::string_view name) {
  std::string text;
  if (!read_file(f.path, text)) {
    diags_.error(f.path.string(), "cannot read the file");
    return "";
  }
  Diagnostics parse_only;  // the compiler parses again and reports
  require_used(lang::parse_file(f.path.string(), text, parse_only));
  if (!lang::compile(f.path.string(), text, lib_, scope_, diags_)) return "";
  if (const FbType* t = lib_.find(name)) return t->name;
  diags_.error(f.path.string(), "the file defines no FB type '" + std::string(name) + "'");
  return "";
}

std::string TypeFolder::data_type(std::string_view ref, const LibraryElement& x, pugi::xml_node at) {
  const std::string name(unqualified(ref));
  const std::string key = identifier_key(name);
  if (!is_identifier(name)) {
    report(&x, at, "'" + std::string(ref) + "' is not a valid type name");
    return "";
  }
  if (auto it = data_done_.find(key); it != data_done_.end()) return it->second;
  if (failed_.count("DT " + key)) return "";
  if (loading_.count("DT " + key)) {
    report(&x, at, "data type '" + name + "' contains itself");
    return "";
  }
  std::string problem;
  const File* f = locate(ref, {Kind::kDataType}, problem);
  if (!f) {
    if (problem.empty()) {
      if (auto s = scope_.find(name)) return data_done_[key] = s->name;
      std::vector<std::string> names = scope_.names();
      for (const auto& [k, files] : index_)
        for (const auto& file : files)
          if (file.kind == Kind::kDataType) names.push_back(file.path.stem().string());
      problem = "unknown data type '" + std::string(ref) + "'" + lang::did_you_mean(name, names);
    }
    report(&x, at, problem);
    failed_.insert("DT " + key);
    return "";
  }
  std::string text;
  if (!read_file(f->path, text)) {
    report(&x, at, "cannot read " + f->path.string());
    failed_.insert("DT " + key);
    return "";
  }
  loading_.insert("DT " + key);
  ++depth_;
  std::string got;
  if (depth_ <= kMaxDepth) {
    LibraryElement dx(f->path.string(), std::move(text), diags_);
    if (dx.ok()) {
      if (auto s = import_data_type(dx, *this); s && !same_identifier(s->name.text, name)) {
        dx.error(dx.root(), "the file defines data type '" + s->name.text + "', not '" + name + "'");
      } else if (s) {
        got = s->name.text;
        lang::FileAst file;
        file.structs.push_back(std::move(*s));
        if (!lang::check(dx.file(), file, lib_, scope_, diags_)) got.clear();
      }
    }
  } else {
    report(&x, at, "types nested deeper than " + std::to_string(kMaxDepth) + " levels");
  }
  --depth_;
  loading_.erase("DT " + key);
  if (got.empty()) {
    failed_.insert("DT " + key);
    return "";
  }
  return data_done_[key] = got;
}

const AdapterType* TypeFolder::adapter_type(std::string_view ref, const LibraryElement& x, pugi::xml_node at) {
  const std::string name(unqualified(ref));
  const std::string key = identifier_key(name);
  if (auto it = adapters_.find(key); it != adapters_.end()) return &it->second;
  if (failed_.count("AD " + key)) return nullptr;
  if (loading_.count("AD " + key)) {
    report(&x, at, "adapter type '" + name + "' contains itself");
    return nullptr;
  }
  std::string problem;
  const File* f = locate(ref, {Kind::kAdapterType}, problem);
  if (!f) {
    if (problem.empty()) problem = "unknown adapter type '" + std::string(ref) + "'";
    report(&x, at, problem);
    failed_.insert("AD " + key);
    return nullptr;
  }
  std::string text;
  if (!read_file(f->path, text)) {
    report(&x, at, "cannot read " + f->path.string());
    failed_.insert("AD " + key);
    return nullptr;
  }
  loading_.insert("AD " + key);
  ++depth_;
  std::optional<AdapterType> t;
  if (depth_ <= kMaxDepth) {
    LibraryElement ax(f->path.string(), std::move(text), diags_);
    if (ax.ok()) t = import_adapter_type(ax, *this);
    if (t && !same_identifier(t->name, name)) {
      ax.error(ax.root(), "the file defines adapter type '" + t->name + "', not '" + name + "'");
      t.reset();
    }
  }
  --depth_;
  loading_.erase("AD " + key);
  if (!t) {
    failed_.insert("AD " + key);
    return nullptr;
  }
  lib_.add_adapter(t->name);
  return &(adapters_[key] = std::move(*t));
}

template <class T, class Import>
const T* TypeFolder::library_type(std::string_view ref, Kind kind, const char* tag, const char* what,
                                  std::map<std::string, T>& done, const LibraryElement& x, pugi::xml_node at, bool& ok,
                                  Import import) {
  const std::string name(unqualified(ref));
  const std::string key = identifier_key(name);
  if (auto it = done.find(key); it != done.end()) return &it->second;
  if (failed_.count(tag + key)) {
    ok = false;
    return nullptr;
  }
  std::string problem;
  const File* f = locate(ref, {kind}, problem);
  if (!f && problem.empty()) return nullptr;  // only a name
  std::optional<T> t;
  std::string text;
  if (!f) report(&x, at, problem);
  else if (!read_file(f->path, text)) report(&x, at, "cannot read " + f->path.string());
  else {
    LibraryElement tx(f->path.string(), std::move(text), diags_);
    if (tx.ok()) t = import(tx);
    if (t && !same_identifier(t->name, name)) {
      tx.error(tx.root(), std::string("the file defines ") + what + " '" + t->name + "', not '" + name + "'");
      t.reset();
    }
    if (!t) report(&x, at, std::string(what) + " '" + name + "' has errors (" + f->path.string() + ")");
  }
  if (!t) {
    failed_.insert(tag + key);
    ok = false;
    return nullptr;
  }
  return &(done[key] = std::move(*t));
}

const ResourceType* TypeFolder::resource_type(std::string_view ref, const LibraryElement& x, pugi::xml_node at,
                                              bool& ok) {
  return library_type(ref, Kind::kResourceType, "RES ", "resource type", resource_types_, x, at, ok,
                      [&](const LibraryElement& tx) { return import_resource_type(tx, *this, scope_); });
}

const DeviceType* TypeFolder::device_type(std::string_view ref, const LibraryElement& x, pugi::xml_node at, bool& ok) {
  return library_type(ref, Kind::kDeviceType, "DEV ", "device type", device_types_, x, at, ok,
                      [&](const LibraryElement& tx) { return import_device_type(tx, *this, scope_); });
}

const std::vector<AdapterDecl>* TypeFolder::adapters_of(std::string_view fb_type) const {
  auto it = adapters_of_.find(identifier_key(fb_type));
  return it == adapters_of_.end() ? nullptr : &it->second;
}

}  // namespace plc::fourdiac
