// 4diac's CSV_WRITER_1 .. CSV_WRITER_10 (utils/, FORTE's GEN_CSV_WRITER):
//
// - INIT with QI opens FILE_NAME for writing, emptied ("w+"): QO TRUE and
//   STATUS 'OK', or QO FALSE and STATUS the system's message
//   (strerror), or 'File already opened'. INIT without QI closes it:
//   QO FALSE, STATUS 'OK' (or the message) when a file was open. INITO
//   follows.
// - REQ sets QO to QI; with QI it appends one line: every SD_k as FORTE's
//   toString writes it (utils_text_form.h: 1, 'Test', T#1s) followed by
//   "; ", then "\n" ("1; 'Test'; \n"). When every SD_k is an array of
//   one length n, it writes n lines, line j of element j of each. With
//   no open file: QO FALSE, STATUS 'File not opened'. CNF follows.
// Each SD_k is its own ANY type.
//
// Where plc differs from FORTE on purpose: a value is written whole
// (FORTE drops a value whose text passes 100 characters), and each REQ
// flushes the file, so a node that dies keeps every line written. A
// resource destroyed with its file open closes it (on_unload).
//
// The FILE* lives in a process-wide table under a number that is never
// reused; the instance keeps the number in an internal variable, so a
// stale or damaged number finds nothing. REQ allocates nothing.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>
#include <unordered_map>

#include "runtime/fb_type_builder.h"
#include "runtime/stdfb/generic_ports.h"
#include "runtime/stdfb/iec61131_blocks.h"
#include "runtime/stdfb/utils_text_form.h"
#include "runtime/type_library.h"

namespace plc::stdfb {
namespace {

class OpenFiles {
 public:
  uint64_t add(std::FILE* f) {
    std::lock_guard<std::mutex> lock(mu_);
    files_.emplace(next_, f);
    return next_++;
  }
  std::FILE* find(uint64_t id) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = files_.find(id);
    return it == files_.end() ? nullptr : it->second;
  }
  std::FILE* take(uint64_t id) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = files_.find(id);
    if (it == files_.end()) return nullptr;
    std::FILE* f = it->second;
    files_.erase(it);
    return f;
  }

 private:
  std::mutex mu_;
  std::unordered_map<uint64_t, std::FILE*> files_;
  uint64_t next_ = 1;
};

OpenFiles& open_files() {
  static OpenFiles files;
  return files;
}

enum : uint16_t { kQi, kFileName, kFirstSd };
enum : uint16_t { kQo, kStatus };
constexpr EventId kInit{0}, kInito{0}, kCnf{1};

void set_status(FbContext& fb, const char* text) { TextOut(output_port(fb, kStatus)).append(text, std::strlen(text)); }

Value& file_id(FbContext& fb) { return fb.v[fb.type().iface.internal_slot(0)]; }

void open_file(FbContext& fb) {
  *output_port(fb, kQo).v = Value::of_bool(false);
  if (open_files().find(file_id(fb).u)) return set_status(fb, "File already opened");
  const Text name(input_port(fb, kFileName));
  char path[VarDecl::kDefaultStringLength + 1];
  uint32_t n = 0;
  for (; n < name.size() && n + 1 < sizeof path; ++n) path[n] = char(name[n]);
  path[n] = '\0';
  std::FILE* f = std::fopen(path, "w+");
  if (!f) return set_status(fb, std::strerror(errno));
  file_id(fb) = Value::of_uint(open_files().add(f));
  *output_port(fb, kQo).v = Value::of_bool(true);
  set_status(fb, "OK");
}

void close_file(FbContext& fb) {
  *output_port(fb, kQo).v = Value::of_bool(false);
  std::FILE* f = open_files().take(file_id(fb).u);
  file_id(fb) = Value::of_uint(0);
  if (f) set_status(fb, std::fclose(f) == 0 ? "OK" : std::strerror(errno));
}

void unload(FbContext& fb) {
  if (std::FILE* f = open_files().take(file_id(fb).u)) std::fclose(f);
}

// The common length of the SDs when every one is an array, else 0.
uint32_t lines_of_arrays(const Interface& i) {
  uint32_t n = 0;
  for (uint16_t k = kFirstSd; k < i.inputs.size(); ++k) {
    const uint32_t size = i.inputs[k].array_size;
    if (!size || (n && size != n)) return 0;
    n = size;
  }
  return n;
}

void write_line(FbContext& fb, std::FILE* f) {
  const Interface& i = fb.type().iface;
  char buf[512];
  TextSink out(buf, sizeof buf, f);
  const uint32_t lines = lines_of_arrays(i);
  for (uint32_t line = 0; line < (lines ? lines : 1); ++line) {
    for (uint16_t k = kFirstSd; k < i.inputs.size(); ++k) {
      const Port sd = input_port(fb, k);
      if (lines) {
        write_element_text(out, sd.decl, sd.v + line * sd.decl.element_slots());
      } else {
        write_text(out, sd.decl, sd.v);
      }
      out.put("; ");
    }
    out.put('\n');
  }
  out.flush();
  std::fflush(f);
}

void csv_writer(FbContext& fb, EventId ei) {
  const bool qi = input_port(fb, kQi).v->as_bool();
  if (ei == kInit) {
    qi ? open_file(fb) : close_file(fb);
    return fb.emit(kInito);
  }
  *output_port(fb, kQo).v = Value::of_bool(qi);
  if (qi) {
    if (std::FILE* f = open_files().find(file_id(fb).u)) {
      write_line(fb, f);
    } else {
      *output_port(fb, kQo).v = Value::of_bool(false);
      set_status(fb, "File not opened");
    }
  }
  fb.emit(kCnf);
}

FbType csv_writer_type(int n) {
  FbTypeBuilder b("CSV_WRITER_" + std::to_string(n));
  b.comment("Service Interface Function Block Type")
      .event_input("INIT", {"QI", "FILE_NAME"})
      .event_input("REQ", {"QI"})
      .event_output("INITO", {"QO", "STATUS"})
      .event_output("CNF", {"QO", "STATUS"})
      .input("QI", DataType::kBool)
      .input("FILE_NAME", DataType::kString);
  for (int k = 1; k <= n; ++k) b.generic_input("SD_" + std::to_string(k), GenericClass::kAny, uint8_t(k));
  FbType t = b.output("QO", DataType::kBool)
                 .output("STATUS", DataType::kString)
                 .internal("$file", DataType::kUlint)
                 .native({csv_writer, nullptr, unload})
                 .build();
  for (int k = 1; k <= n; ++k) t.iface.event_inputs[1].with.push_back(uint16_t(kFirstSd + k - 1));
  return t;
}

}  // namespace

void add_utils_csv_writer(TypeLibrary& lib) {
  for (int n = 1; n <= 10; ++n) lib.add(csv_writer_type(n));
}

}  // namespace plc::stdfb
