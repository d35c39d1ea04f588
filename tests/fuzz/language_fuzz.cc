// libFuzzer target over the whole language front end: arbitrary bytes go
// through plc::lang::compile (lexer, parser, checkers, the trial load of
// composites and systems) into a library holding the standard blocks and
// the process image blocks, and through parse_expression alone. The front
// end promises never to throw, crash or hang, whatever the bytes
// (parser.h); ASan and UBSan turn any broken promise into a crash.
// Built and run by tests/fuzz/run.sh (clang; Bazel's toolchain is gcc).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "runtime/language/compiler.h"
#include "runtime/language/parser.h"
#include "runtime/process_image.h"
#include "runtime/type_library.h"

namespace {

plc::TypeLibrary base_library() {
  plc::TypeLibrary lib;
  plc::add_standard_blocks(lib);
  plc::add_process_image_blocks(lib);
  return lib;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const plc::TypeLibrary base = base_library();
  static plc::TypeLibrary lib = base;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  {
    plc::lang::TypeScope scope;
    plc::Diagnostics diags;
    plc::lang::Compiled out;
    // A file is all or nothing (compiler.h): only a valid one changes the
    // library, and then it is reset, so every input starts from the same
    // library and a crash replays from its file alone.
    if (plc::lang::compile("fuzz.st", text, lib, scope, diags, &out)) lib = base;
    (void)diags.str();  // every diagnostic must be printable
  }
  {
    plc::Diagnostics diags;
    plc::lang::parse_expression("fuzz.st", text, diags);
  }
  return 0;
}
