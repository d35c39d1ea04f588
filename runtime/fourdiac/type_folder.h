// A type library over folders, the way 4diac IDE's project type library
// works: a type named in a file (an FB's Type, an adapter declaration, a
// variable's structured type) is looked up by its name among the files of
// the folders (searched recursively: Name.fbt, Name.sub, Name.adp,
// Name.dtp, Name.res, Name.dev, and plc's own name.st), and that file is read, checked and
// added to the TypeLibrary (or, for data types, the TypeScope) the first
// time the type is needed, after the types it uses. So a .sys finds its .fbt files the
// way 4diac does, and only what is used is loaded.
//
// - A name may be qualified with a package ("eclipse4diac::events::E_CTU");
//   the package decides between files of the same name (4diac's
//   CompilerInfo packageName, or the older header "package a.b;").
// - Among files of the same name the package decides first; then the
//   earliest folder given wins: the file's own folder shadows the --lib
//   folders, so a project's own copy of a standard type is the one used,
//   as in 4diac IDE, where the project's types come before the library's.
//   Two files of the name within one folder (and its subfolders), of no
//   package that decides, are an error.
// - A type plc implements natively (the standard event blocks) keeps its
//   native behaviour: 4diac's .fbt for it is read as a service interface
//   and must match the native interface (compile_fb_type checks it).
// - A type that uses itself (through composites or structures) is an error.
// - A file reached through two of the folders (a file given inside a
//   folder given) is indexed once.
#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/fourdiac/type_context.h"
#include "runtime/language/declarations.h"
#include "runtime/status.h"
#include "runtime/type_library.h"

namespace plc::fourdiac {

class TypeFolder : public TypeContext {
 public:
  // Indexes the folders (and single files) now; reads files on demand.
  TypeFolder(std::vector<std::filesystem::path> folders, TypeLibrary& lib, lang::TypeScope& scope, Diagnostics& diags);

  // Makes the FB type `name` available; false when it cannot be (reported,
  // at `where` when the problem is not inside a file). `where` is the file
  // asked for (plc check FILE): among files of the same name, it is taken.
  bool require(std::string_view name, const std::string& where = "");
  // Makes available the FB types a textual file uses in its networks and
  // does not define itself (nor in `defined`, identifier keys), those a file
  // of the folders defines and `lib` has not: so a .st file finds its types
  // in the folders as a 4diac file does. The others are left to the
  // compiler, which reports them where they are used.
  void require_used(const lang::FileAst& ast, const std::set<std::string>& defined = {});

  std::string fb_type(std::string_view ref, const LibraryElement& x, pugi::xml_node at) override;
  std::string data_type(std::string_view ref, const LibraryElement& x, pugi::xml_node at) override;
  const AdapterType* adapter_type(std::string_view ref, const LibraryElement& x, pugi::xml_node at) override;
  const ResourceType* resource_type(std::string_view ref, const LibraryElement& x, pugi::xml_node at,
                                    bool& ok) override;
  const DeviceType* device_type(std::string_view ref, const LibraryElement& x, pugi::xml_node at, bool& ok) override;
  const std::vector<AdapterDecl>* adapters_of(std::string_view fb_type) const override;
  const FbType* find(std::string_view fb_type) const override { return lib_.find(fb_type); }

  TypeLibrary& library() { return lib_; }
  lang::TypeScope& scope() { return scope_; }
  Diagnostics& diags() { return diags_; }
  // The files indexed, in a stable order (for tools and tests).
  std::vector<std::filesystem::path> files() const;

 private:
  enum class Kind { kFbType, kAdapterType, kDataType, kResourceType, kDeviceType, kSt };
  struct File {
    std::filesystem::path path;
    Kind kind;
    int root;  // which of the folders given it was found in (1 is the first)
  };
  static constexpr int kMaxDepth = 64;

  // The file defining `ref` of one of `kinds`; null when there is none or
  // it is ambiguous (then `problem` says why).
  const File* locate(std::string_view ref, std::initializer_list<Kind> kinds, std::string& problem);
  std::string package_of_file(const File& f);
  std::string fb_type_at(std::string_view ref, const LibraryElement* x, pugi::xml_node at);
  std::string load_fb_type(const File& f, std::string_view name, const std::string& ref_where);
  std::string load_st(const File& f, std::string_view name);
  // Reads the .res or .dev defining `ref` with `import` into `done` (cached
  // per identifier key, failures under `tag`).
  template <class T, class Import>
  const T* library_type(std::string_view ref, Kind kind, const char* tag, const char* what,
                        std::map<std::string, T>& done, const LibraryElement& x, pugi::xml_node at, bool& ok,
                        Import import);
  void report(const LibraryElement* x, pugi::xml_node at, const std::string& message);
  std::vector<std::string> candidates() const;

  TypeLibrary& lib_;
  lang::TypeScope& scope_;
  Diagnostics& diags_;
  std::map<std::string, std::vector<File>> index_;  // identifier_key(file stem)
  std::map<std::string, std::string> packages_;     // path -> package
  // Per identifier key: what was loaded (the name as declared), what failed
  // (reported once), what is being loaded (cycles).
  std::map<std::string, std::string> fb_done_, data_done_;
  std::map<std::string, AdapterType> adapters_;
  std::map<std::string, std::vector<AdapterDecl>> adapters_of_;
  std::map<std::string, ResourceType> resource_types_;
  std::map<std::string, DeviceType> device_types_;
  std::set<std::string> failed_, loading_;
  std::string where_;  // where require() was asked, for problems with no place in a file
  int depth_ = 0;
};

}  // namespace plc::fourdiac
