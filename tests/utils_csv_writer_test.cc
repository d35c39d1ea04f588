// 4diac's CSV_WRITER_n (runtime/stdfb/utils_csv_writer.cc): lines as
// FORTE's GEN_CSV_WRITER writes them.
#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "runtime/fb_type_builder.h"
#include "tests/generic_block_support.h"

using namespace plc;
using namespace plc::test;

namespace {

std::string temp_path(const char* name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/" + name;
}

std::string content(const std::string& path) {
  std::stringstream s;
  s << std::ifstream(path).rdbuf();
  return s.str();
}

// CSV_WRITER_2 with FILE_NAME `path` and SD_1 INT, SD_2 STRING.
struct Writer {
  explicit Writer(const std::string& path)
      : g("CSV_WRITER_2", {{"QI", "TRUE"}, {"FILE_NAME", "'" + path + "'"}, {"SD_1", "INT#1"}, {"SD_2", "'Test'"}}) {}
  std::string status() { return g.text("STATUS"); }
  bool qo() { return g.value("QO").as_bool(); }
  Generic g;
};

void emit_cnf(FbContext& fb, EventId) { fb.emit(EventId{0}); }

}  // namespace

TEST_CASE("CSV_WRITER writes one line per REQ, each value and '; '", "[utils][CSV_WRITER]") {
  const std::string path = temp_path("valid.csv");
  Writer w(path);
  CHECK(w.g.fire("INIT") == std::vector<std::string>{"F.INITO"});
  CHECK(w.qo());
  CHECK(w.status() == "OK");
  CHECK(w.g.fire("REQ") == std::vector<std::string>{"F.CNF"});
  CHECK(w.qo());
  w.g.slots("SD_1")->i = 20;
  w.g.set_text("SD_2", "Test2");
  w.g.fire("REQ");
  CHECK(content(path) == "1; 'Test'; \n20; 'Test2'; \n");
  w.g.slots("QI")->u = 0;
  w.g.fire("INIT");
  CHECK_FALSE(w.qo());
  CHECK(w.status() == "OK");
  CHECK(content(path) == "1; 'Test'; \n20; 'Test2'; \n");
  unlink(path.c_str());
}

TEST_CASE("CSV_WRITER's REQ without QI writes nothing and answers QO FALSE", "[utils][CSV_WRITER]") {
  const std::string path = temp_path("blocked.csv");
  Writer w(path);
  w.g.fire("INIT");
  w.g.slots("QI")->u = 0;
  w.g.fire("REQ");
  CHECK_FALSE(w.qo());
  w.g.fire("INIT");
  CHECK(content(path) == "");
  unlink(path.c_str());
}

TEST_CASE("CSV_WRITER opening empties the file", "[utils][CSV_WRITER]") {
  const std::string path = temp_path("emptied.csv");
  std::ofstream(path) << "old\n";
  Writer w(path);
  w.g.fire("INIT");
  w.g.slots("QI")->u = 0;
  w.g.fire("INIT");
  CHECK(content(path) == "");
  unlink(path.c_str());
}

TEST_CASE("CSV_WRITER reports a second open, a missing file and a failed open", "[utils][CSV_WRITER]") {
  const std::string path = temp_path("status.csv");
  Writer w(path);
  w.g.fire("REQ");
  CHECK_FALSE(w.qo());
  CHECK(w.status() == "File not opened");
  w.g.fire("INIT");
  w.g.fire("INIT");
  CHECK_FALSE(w.qo());
  CHECK(w.status() == "File already opened");
  w.g.fire("REQ");
  CHECK(w.qo());  // the first open still holds
  w.g.slots("QI")->u = 0;
  w.g.fire("INIT");
  CHECK(content(path) == "1; 'Test'; \n");
  unlink(path.c_str());

  Writer bad(temp_path("no/such/dir.csv"));
  bad.g.fire("INIT");
  CHECK_FALSE(bad.qo());
  CHECK(bad.status() == "No such file or directory");
}

TEST_CASE("CSV_WRITER writes one line per element when every SD is an array of one length", "[utils][CSV_WRITER]") {
  VarDecl a;
  a.name = "A";
  a.type = DataType::kInt;
  a.array_size = 3;
  VarDecl b = a;
  b.name = "B";
  b.type = DataType::kString;
  const TypeLibrary lib = library_with({FbTypeBuilder("SRC")
                                            .event_input("REQ")
                                            .event_output("CNF", {"A", "B"})
                                            .output(a)
                                            .output(b)
                                            .native({emit_cnf, nullptr})
                                            .build()});
  const std::string path = temp_path("arrays.csv");
  Generic g(
      FbNetwork{{{"SRC", "SRC", {}, ""}, {"F", "CSV_WRITER_2", {{"QI", "TRUE"}, {"FILE_NAME", "'" + path + "'"}}, ""}},
                {{"SRC.CNF", "F.REQ", ""}},
                {{"SRC.A", "F.SD_1", ""}, {"SRC.B", "F.SD_2", ""}}},
      lib);
  g.fire("INIT");
  REQUIRE(g.value("QO").as_bool());
  Value* va = g.slots("A", "SRC");
  for (int k = 0; k < 3; ++k) {
    va[k].i = k + 1;
    write_string(b, std::string(1, char('A' + k)), g.slots("B", "SRC") + k * b.element_slots());
  }
  g.fire("REQ", "SRC");
  g.slots("QI")->u = 0;
  g.fire("INIT");
  CHECK(content(path) == "1; 'A'; \n2; 'B'; \n3; 'C'; \n");
  unlink(path.c_str());
}

TEST_CASE("CSV_WRITER writes TIME, LREAL and BOOL as FORTE does", "[utils][CSV_WRITER]") {
  const std::string path = temp_path("mixed.csv");
  Generic g("CSV_WRITER_3", {{"QI", "TRUE"},
                             {"FILE_NAME", "'" + path + "'"},
                             {"SD_1", "T#1s500ms"},
                             {"SD_2", "LREAL#2.5"},
                             {"SD_3", "TRUE"}});
  g.fire("INIT");
  g.fire("REQ");
  g.slots("QI")->u = 0;
  g.fire("INIT");
  CHECK(content(path) == "T#1s500ms; 2.5; TRUE; \n");
  unlink(path.c_str());
}

TEST_CASE("a resource destroyed with a CSV_WRITER's file open closes it", "[utils][CSV_WRITER]") {
  auto open_fds = [] {
    int n = 0;
    for (int fd = 0; fd < 1024; ++fd) n += fcntl(fd, F_GETFD) != -1;
    return n;
  };
  const std::string path = temp_path("unload.csv");
  const int before = open_fds();
  {
    Writer w(path);
    w.g.fire("INIT");
    REQUIRE(w.qo());
    CHECK(open_fds() == before + 1);
  }
  CHECK(open_fds() == before);
  unlink(path.c_str());
}
