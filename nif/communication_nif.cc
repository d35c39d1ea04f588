// The host's answers to the communication blocks (runtime/stdfb/
// communication.h): the outcome of an open, and the data a channel
// received, either as Erlang values (plc[GROUP]) or as the FBDK ASN.1
// bytes that came off a socket (fbdk[].ip[...]), decoded here into the
// RDs (runtime/fbdk_asn1.h) so the Erlang side only moves binaries. Both
// only enqueue into the resource's inbox and run on a normal scheduler
// (a stream's buffer beyond kNormalBytes is decoded on a dirty one).
#include <string>
#include <vector>

#include "nif/handles.h"
#include "nif/nif.h"
#include "runtime/fbdk_asn1.h"
#include "runtime/stdfb/communication.h"

namespace plc::nif {
namespace {

constexpr size_t kNormalBytes = 1 << 20;

const char* const kCodes[stdfb::kComCodes] = {
    "ok",        "invalid_id", "terminated",  "invalid_object", "data_type_error",
    "inhibited", "no_socket",  "send_failed", "recv_failed"};

std::optional<FbIndex> service_fb(const Resource& r, const std::string& name) {
  auto f = r.find_fb(name);
  if (!f || !stdfb::service_role(r.type_of(*f))) return std::nullopt;
  return f;
}

// The RDs of a communication block: the outputs after QO and STATUS.
fbdk::Ports rd_ports(const Interface& i) { return {std::span<const VarDecl>(i.outputs).subspan(2)}; }

ERL_NIF_TERM reason_term(ErlNifEnv* env, const fbdk::Error& e) {
  auto tagged = [&](const char* name, ERL_NIF_TERM v) { return enif_make_tuple2(env, make_atom(env, name), v); };
  switch (e.fault) {
    case fbdk::Fault::kNone:
    case fbdk::Fault::kTruncated: return make_atom(env, "truncated");
    case fbdk::Fault::kBadTag:
      return enif_make_tuple3(env, make_atom(env, "bad_tag"), enif_make_uint(env, e.expected),
                              enif_make_uint(env, e.got));
    case fbdk::Fault::kNotNull: return tagged("not_null", enif_make_uint(env, e.got));
    case fbdk::Fault::kTrailingBytes: return tagged("trailing_bytes", enif_make_uint64(env, e.detail));
    case fbdk::Fault::kOutOfRange:
      return enif_make_tuple3(env, make_atom(env, "out_of_range"), make_atom(env, "time"),
                              enif_make_int64(env, int64_t(e.detail)));
    case fbdk::Fault::kTooLong: return tagged("too_long", enif_make_uint64(env, e.detail));
    case fbdk::Fault::kBadUtf16: return tagged("bad_utf16", enif_make_uint64(env, e.detail));
    case fbdk::Fault::kBeyondLatin1: return tagged("beyond_latin1", enif_make_uint64(env, e.detail));
    case fbdk::Fault::kNoType: return make_atom(env, "no_type");
  }
  return make_atom(env, "unknown");
}

// {error, {decode, {Point, Offset, Reason}}}: Point the 1-based RD (0: the
// message as a whole), Offset the byte where it was found.
ERL_NIF_TERM decode_error(ErlNifEnv* env, const fbdk::Error& e) {
  ERL_NIF_TERM where =
      enif_make_tuple3(env, enif_make_uint(env, e.point), enif_make_uint(env, e.offset), reason_term(env, e));
  return enif_make_tuple2(env, make_atom(env, "error"), enif_make_tuple2(env, make_atom(env, "decode"), where));
}

}  // namespace

// service_answer(Handle, Fb, Channel, init, Code, Wire) and
// service_answer(Handle, Fb, Channel, data, Code, [RdValue]) -> ok |
// {error, inbox_full}: the host's answer to a communication block for its
// channel number Channel. Code is FORTE's response as an atom: ok,
// invalid_id, terminated, ..., recv_failed. An init answer names the
// channel's wire: `values' (the SDs come as values) or `fbdk' (as one FBDK
// message). The RD values (a data answer with ok; [] otherwise) travel
// with the event, in as many inbox parts as they need.
ERL_NIF_TERM service_answer(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return with_resource<Access::kEnqueue>(env, argv[0], [&](ResourceHandle&, Engine& e) {
    auto fb = get_string(env, argv[1]);
    auto channel = get_uint(env, argv[2]);
    char kind[8], code_name[20];
    if (!fb || !channel || *channel > UINT32_MAX || !enif_get_atom(env, argv[3], kind, sizeof kind, ERL_NIF_LATIN1) ||
        !enif_get_atom(env, argv[4], code_name, sizeof code_name, ERL_NIF_LATIN1))
      return raise_badarg(env, "expected service_answer(Handle, Fb, Channel, init | data, Code, Wire | [Value])");
    const std::string k(kind);
    if (k != "init" && k != "data") return raise_badarg(env, "the answer is init or data");
    uint8_t code = 0;
    while (code < stdfb::kComCodes && std::string(code_name) != kCodes[code]) ++code;
    if (code == stdfb::kComCodes) return raise_badarg(env, std::string("no response code ") + code_name);
    const Resource& r = *e.res;
    auto f = service_fb(r, *fb);
    if (!f) return raise_badarg(env, "no communication block " + *fb);
    const Interface& i = r.type_of(*f).iface;
    std::vector<Value> rd;
    auto wire = stdfb::ServiceWire::kValues;
    if (k == "init") {
      char w[8];
      if (!enif_get_atom(env, argv[5], w, sizeof w, ERL_NIF_LATIN1) ||
          (std::string(w) != "values" && std::string(w) != "fbdk"))
        return raise_badarg(env, "an init answer's wire is values or fbdk");
      if (std::string(w) == "fbdk") wire = stdfb::ServiceWire::kFbdk;
    } else {
      if (!enif_is_list(env, argv[5])) return raise_badarg(env, "a data answer's values are a list");
      ERL_NIF_TERM head, tail = argv[5];
      uint16_t port = 2;
      for (; enif_get_list_cell(env, tail, &head, &tail); ++port) {
        if (port >= i.outputs.size()) return raise_badarg(env, "more values than " + *fb + " has RDs");
        const VarDecl& var = i.outputs[port];
        const size_t at = rd.size();
        rd.resize(at + var.slots());
        if (!get_var(env, head, var, rd.data() + at))
          return raise_badarg(env,
                              "value for " + *fb + "." + var.name + " is not a " + std::string(type_name(var.type)));
      }
      if (!rd.empty() && port != i.outputs.size()) return raise_badarg(env, "fewer values than " + *fb + " has RDs");
    }
    auto parts = stdfb::service_answer(r, *f, uint32_t(*channel),
                                       k == "init" ? stdfb::ServiceAnswer::kInit : stdfb::ServiceAnswer::kData,
                                       stdfb::ComCode(code), rd, wire);
    if (parts.empty()) return raise_badarg(env, "not an answer " + *fb + " can take");
    if (!e.res->post(parts.data(), uint32_t(parts.size()))) return inbox_full(env);
    return make_atom(env, "ok");
  });
}

// service_data(Handle, Fb, Channel, datagram, Bin) -> ok and
// service_data(Handle, Fb, Channel, stream, Bin) -> {ok, Rest} | incomplete:
// decodes the first FBDK message of Bin into the block's RDs and posts it as
// a data answer with ok (CNF or IND follows); a datagram must be that one
// message, a stream's Rest is what follows it. A message that does not
// decode is {error, {decode, {Rd, Offset, Reason}}} (nothing is posted); a
// full inbox {error, inbox_full}.
ERL_NIF_TERM service_data(ErlNifEnv* env, int argc, const ERL_NIF_TERM argv[]) {
  ErlNifBinary bin;
  if (enif_inspect_binary(env, argv[4], &bin) && bin.size > kNormalBytes &&
      enif_thread_type() == ERL_NIF_THR_NORMAL_SCHEDULER)
    return enif_schedule_nif(env, "service_data", ERL_NIF_DIRTY_JOB_CPU_BOUND, service_data, argc, argv);
  return with_resource<Access::kEnqueue>(env, argv[0], [&](ResourceHandle&, Engine& e) {
    auto fb = get_string(env, argv[1]);
    auto channel = get_uint(env, argv[2]);
    char framing[10];
    if (!fb || !channel || *channel > UINT32_MAX ||
        !enif_get_atom(env, argv[3], framing, sizeof framing, ERL_NIF_LATIN1) ||
        !enif_inspect_binary(env, argv[4], &bin))
      return raise_badarg(env, "expected service_data(Handle, Fb, Channel, datagram | stream, Binary)");
    const std::string how(framing);
    if (how != "datagram" && how != "stream") return raise_badarg(env, "the framing is datagram or stream");
    const bool stream = how == "stream";
    const Resource& r = *e.res;
    auto f = service_fb(r, *fb);
    if (!f) return raise_badarg(env, "no communication block " + *fb);
    const fbdk::Ports rds = rd_ports(r.type_of(*f).iface);
    std::vector<Value> rd(rds.slots());
    auto d =
        fbdk::decode(rds, {bin.data, bin.size}, rd.data(), stream ? fbdk::Framing::kStream : fbdk::Framing::kDatagram);
    if (stream && d.incomplete()) return make_atom(env, "incomplete");
    if (!d) return decode_error(env, d.error);
    auto parts = stdfb::service_answer(r, *f, uint32_t(*channel), stdfb::ServiceAnswer::kData, stdfb::ComCode::kOk, rd);
    if (parts.empty()) return raise_badarg(env, "not an answer " + *fb + " can take");
    if (!e.res->post(parts.data(), uint32_t(parts.size()))) return inbox_full(env);
    if (!stream) return make_atom(env, "ok");
    return ok_tuple(env, enif_make_sub_binary(env, argv[4], d.bytes, bin.size - d.bytes));
  });
}

}  // namespace plc::nif
