// Compile speed of the language front end on a generated plant program of
// 50 000+ lines (bench/language_source.h): the whole of plc::lang::compile
// (lexer, parser, checkers, bytecode, the trial load of composites and the
// system), and the parse alone. items = source lines.
//
//   bazel run -c opt //bench:language_compile
// Items per second are per CPU second of the benchmark's thread, so a busy
// machine slows the wall time, not the figure.
#include <benchmark/benchmark.h>

#include <cstdio>

#include "bench/language_source.h"
#include "runtime/language/compiler.h"
#include "runtime/language/parser.h"
#include "runtime/process_image.h"
#include "runtime/type_library.h"

namespace {

using namespace plc;

TypeLibrary base_library() {
  TypeLibrary lib;
  add_standard_blocks(lib);
  add_process_image_blocks(lib);
  return lib;
}

void report(benchmark::State& state, size_t lines, size_t bytes) {
  state.SetItemsProcessed(int64_t(state.iterations() * lines));
  state.SetBytesProcessed(int64_t(state.iterations() * bytes));
  state.counters["lines"] = double(lines);
  state.SetLabel("lines");  // bench_main prints items_per_second as lines/s
}

void language_compile(benchmark::State& state) {
  const std::string src = bench::plant_source(size_t(state.range(0)));
  const TypeLibrary base = base_library();
  lang::Compiled out;
  for (auto _ : state) {
    TypeLibrary lib = base;
    lang::TypeScope scope;
    Diagnostics diags;
    if (!lang::compile("plant.st", src, lib, scope, diags, &out)) {
      std::fprintf(stderr, "%s", diags.str().substr(0, 2000).c_str());
      return state.SkipWithError("the generated source does not compile");
    }
    benchmark::DoNotOptimize(lib.size());
  }
  report(state, bench::count_lines(src), src.size());
  state.counters["fb_types"] = double(out.types.size());
}

void language_parse(benchmark::State& state) {
  const std::string src = bench::plant_source(size_t(state.range(0)));
  for (auto _ : state) {
    Diagnostics diags;
    lang::FileAst ast = lang::parse_file("plant.st", src, diags);
    if (!diags.ok()) return state.SkipWithError("the generated source does not parse");
    benchmark::DoNotOptimize(ast.fb_types.size());
  }
  report(state, bench::count_lines(src), src.size());
}

BENCHMARK(language_compile)->Arg(50'000)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(language_parse)->Arg(50'000)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace
