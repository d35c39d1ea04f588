// main() for every Google Benchmark target of plc: runs the benchmarks with
// the normal console output, then prints each rate counter as one line
// `BENCH <name> <value> <unit>` so scripts can compare runs. A benchmark
// whose items are not events names them in its label ("lines").
#include <benchmark/benchmark.h>

#include <sys/utsname.h>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

namespace {

class BenchLines : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& run : runs) {
      if (run.error_occurred || run.run_type != Run::RT_Iteration) continue;
      std::string name = run.run_name.function_name;
      for (auto& c : name)
        if (c == '/' || c == ':') c = '_';
      for (const auto& [counter, value] : run.counters) {
        // Items are events unless the benchmark's label names them ("lines").
        const std::string items = run.report_label.empty() ? "events" : run.report_label;
        std::string unit = counter == "items_per_second"    ? items + "/s"
                           : counter == "bytes_per_second"  ? "bytes/s"
                           : counter.rfind("bytes", 0) == 0 ? "bytes"
                                                            : counter;
        lines_.push_back("BENCH " + name + (counter == "items_per_second" ? "" : "_" + counter) + " " +
                         format(double(value)) + " " + unit);
      }
    }
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    std::fflush(stdout);
    std::printf("\n");  // the console reporter may leave a colour reset without a newline
    for (const auto& l : lines_) std::printf("%s\n", l.c_str());
  }

 private:
  static std::string format(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
  }
  std::vector<std::string> lines_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  utsname u{};
  uname(&u);
  std::printf("machine: %s %s, %u hardware threads\n", u.machine, u.release, std::thread::hardware_concurrency());
  BenchLines reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
