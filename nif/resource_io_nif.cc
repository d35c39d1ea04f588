// The NIFs that put events and values into a resource and read variables
// out of it, and force them. post/4, post_batch/4, post_raw/2 and write/4
// only enqueue into the resource's inbox (resource.h), without its mutex,
// and run on a normal scheduler; read/2, write_input/3, force/4,
// clear_force/3 and forced/1 take the mutex (dirty).
#include <algorithm>
#include <string>
#include <vector>

#include "nif/handles.h"
#include "nif/nif.h"
#include "runtime/forcing.h"
#include "runtime/process_image.h"
#include "runtime/remote_event.h"
#include "runtime/stdfb/management.h"

namespace plc::nif {
namespace {

struct Port {
  FbIndex fb;
  EventId event;
};

// Resolves "FB" and "PORT" against an event input.
std::optional<Port> find_event_input(const Resource& r, const std::string& fb, const std::string& port) {
  auto f = r.find_fb(fb);
  if (!f) return std::nullopt;
  auto e = r.type_of(*f).iface.find_event_input(port);
  if (!e) return std::nullopt;
  return Port{*f, *e};
}

// Finds a variable of an FB: input, output or internal.
const VarDecl* find_var(const Resource& r, FbIndex fb, const std::string& name, uint32_t& slot) {
  const auto& iface = r.type_of(fb).iface;
  if (auto k = iface.find_input(name)) return slot = iface.input_slot(*k), &iface.inputs[*k];
  if (auto k = iface.find_output(name)) return slot = iface.output_slot(*k), &iface.outputs[*k];
  if (auto k = iface.find_internal(name)) return slot = iface.internal_slot(*k), &iface.internals[*k];
  return nullptr;
}

// Resolves the binaries Fb and Var to a variable, or says why not.
const VarDecl* find_named_var(ErlNifEnv* env, const Resource& r, ERL_NIF_TERM fb_term, ERL_NIF_TERM var_term,
                              FbIndex& fb, uint32_t& slot, std::string& why) {
  auto name = get_string(env, fb_term);
  auto var = get_string(env, var_term);
  if (!name || !var) return why = "FB and variable names must be binaries", nullptr;
  auto f = r.find_fb(*name);
  if (!f) return why = "no FB " + *name, nullptr;
  fb = *f;
  const VarDecl* d = find_var(r, *f, *var, slot);
  if (!d) why = "no variable " + *name + "." + *var;
  return d;
}

// The (absolute slot, value) pairs of [{InputName, Value}] for an event of fb.
bool get_event_slots(ErlNifEnv* env, const Resource& r, FbIndex fb, const std::string& fb_name, ERL_NIF_TERM list,
                     std::vector<std::pair<uint32_t, Value>>& out, std::string& why) {
  const auto& iface = r.type_of(fb).iface;
  ERL_NIF_TERM head, tail = list;
  std::vector<Value> buf;
  while (enif_get_list_cell(env, tail, &head, &tail)) {
    int arity;
    const ERL_NIF_TERM* pair;
    std::optional<std::string> name;
    if (enif_get_tuple(env, head, &arity, &pair) && arity == 2) name = get_string(env, pair[0]);
    auto k = name ? iface.find_input(*name) : std::nullopt;
    if (!k) return why = "values must be {InputName, Value} for inputs of " + fb_name, false;
    const VarDecl& var = iface.inputs[*k];
    buf.assign(var.slots(), Value{});
    if (!get_var(env, pair[1], var, buf.data()))
      return why = "value for " + fb_name + "." + *name + " is not a " + std::string(type_name(var.type)) +
                   (var.array_size ? " array of " + std::to_string(var.array_size) : std::string()),
             false;
    for (uint32_t s = 0; s < buf.size(); ++s) out.emplace_back(r.slot_of(fb, iface.input_slot(*k) + s), buf[s]);
  }
  if (!enif_is_empty_list(env, tail)) return why = "values must be a proper list", false;
  return true;
}

// Fills `e` with the values of [{InputName, Value}] for an event of fb.
bool get_event_values(ErlNifEnv* env, const Resource& r, FbIndex fb, const std::string& fb_name, ERL_NIF_TERM list,
                      InboxEvent& e, std::string& why) {
  std::vector<std::pair<uint32_t, Value>> values;
  if (!get_event_slots(env, r, fb, fb_name, list, values, why)) return false;
  if (values.size() > size_t(InboxEvent::kMaxValues))
    return why = "one event carries at most " + std::to_string(InboxEvent::kMaxValues) + " values (slots)", false;
  for (const auto& [slot, value] : values) {
    e.slot[e.count] = slot;
    e.value[e.count++] = value;
  }
  return true;
}

// As get_event_values, in as many parts as the values need when the
// block takes events in parts (NativeBehaviour::posted_in_parts).
bool get_event_parts(ErlNifEnv* env, const Resource& r, FbIndex fb, EventId ei, const std::string& fb_name,
                     ERL_NIF_TERM list, std::vector<InboxEvent>& parts, std::string& why) {
  std::vector<std::pair<uint32_t, Value>> values;
  if (!get_event_slots(env, r, fb, fb_name, list, values, why)) return false;
  if (values.size() > size_t(InboxEvent::kMaxValues) && !r.type_of(fb).native.posted_in_parts)
    return why = "one event carries at most " + std::to_string(InboxEvent::kMaxValues) + " values (slots)", false;
  parts.assign(1, InboxEvent{});
  for (const auto& [slot, value] : values) {
    if (parts.back().count == InboxEvent::kMaxValues) {
      parts.back().more = true;
      parts.emplace_back();
    }
    InboxEvent& e = parts.back();
    e.slot[e.count] = slot;
    e.value[e.count++] = value;
  }
  for (InboxEvent& e : parts) {
    e.fb = index_of(fb);
    e.ei = ei;
  }
  return true;
}

// Posts the events in order until the inbox is full; how many it took.
ERL_NIF_TERM post_in_order(ErlNifEnv* env, Resource& r, const std::vector<InboxEvent>& events) {
  const unsigned n = unsigned(events.size());
  unsigned accepted = 0;
  while (accepted < n && r.post(events[accepted])) ++accepted;
  enif_consume_timeslice(env, int(std::min(100u, 1 + n / 64)));
  return enif_make_uint(env, accepted);
}

}  // namespace

// post(Handle, Fb, EventInput, [{Var, Value}]) -> ok | {error, inbox_full}.
// A block that takes events in parts (a communication block, whose SDs
// may be STRINGs) takes more values than one InboxEvent holds.
// Only enqueues: a normal scheduler. The name tables are immutable after
// load and Resource::post() is thread-safe.
ERL_NIF_TERM post(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return with_resource<Access::kEnqueue>(env, argv[0], [&](ResourceHandle&, Engine& e) {
    auto fb = get_string(env, argv[1]);
    auto ei = get_string(env, argv[2]);
    if (!fb || !ei || !enif_is_list(env, argv[3]))
      return raise_badarg(env, "expected post(Handle, Fb, Event, [{Var, Value}])");
    const Resource& r = *e.res;
    auto port = find_event_input(r, *fb, *ei);
    if (!port) return raise_badarg(env, "no event input " + *fb + "." + *ei);
    std::vector<InboxEvent> parts;
    std::string why;
    if (!get_event_parts(env, r, port->fb, port->event, *fb, argv[3], parts, why)) return raise_badarg(env, why);
    if (!e.res->post(parts.data(), uint32_t(parts.size()))) return inbox_full(env);
    return make_atom(env, "ok");
  });
}

// manage_answer(Handle, Fb, Response) -> ok | {error, inbox_full}: the
// host's answer to the command of management block Fb
// (runtime/stdfb/management.h); Response is the protocol's response text
// (<<"RDY">>, <<"NO_SUCH_OBJECT">>, ...). Never blocks.
ERL_NIF_TERM manage_answer(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return with_resource<Access::kEnqueue>(env, argv[0], [&](ResourceHandle&, Engine& e) {
    auto fb = get_string(env, argv[1]);
    auto response = get_string(env, argv[2]);
    if (!fb || !response) return raise_badarg(env, "expected manage_answer(Handle, Fb, Response)");
    auto f = e.res->find_fb(*fb);
    auto answer = f ? stdfb::management_answer(*e.res, *f, *response) : std::nullopt;
    if (!answer) return raise_badarg(env, "no management block " + *fb + " or no response " + *response);
    if (!e.res->post(*answer)) return inbox_full(env);
    return make_atom(env, "ok");
  });
}

// post_batch(Handle, Fb, EventInput, [[{Var, Value}]]) -> Accepted: one
// event per element, in order, until the inbox is full. At most 4096
// events per call (plc splits larger batches), so a call stays well under
// a millisecond on a normal scheduler.
ERL_NIF_TERM post_batch(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return with_resource<Access::kEnqueue>(env, argv[0], [&](ResourceHandle&, Engine& e) {
    auto fb = get_string(env, argv[1]);
    auto ei = get_string(env, argv[2]);
    unsigned n = 0;
    if (!fb || !ei || !enif_get_list_length(env, argv[3], &n))
      return raise_badarg(env, "expected post_batch(Handle, Fb, Event, [[{Var, Value}]])");
    if (n > 4096) return raise_badarg(env, "at most 4096 events per post_batch");
    const Resource& r = *e.res;
    auto port = find_event_input(r, *fb, *ei);
    if (!port) return raise_badarg(env, "no event input " + *fb + "." + *ei);
    // Decode everything first: a bad element refuses the whole batch.
    std::vector<InboxEvent> events(n);
    ERL_NIF_TERM head, tail = argv[3];
    std::string why;
    for (unsigned k = 0; enif_get_list_cell(env, tail, &head, &tail); ++k) {
      events[k].fb = index_of(port->fb);
      events[k].ei = port->event;
      if (!enif_is_list(env, head)) return raise_badarg(env, "each element must be a list of {Var, Value}");
      if (!get_event_values(env, r, port->fb, *fb, head, events[k], why)) return raise_badarg(env, why);
    }
    return post_in_order(env, *e.res, events);
  });
}

// post_raw(Handle, [Bin]) -> Accepted: events sent by another node's
// resources (each Bin in the wire form of runtime/remote_event.h, which
// decodes and checks it), posted in order until the inbox is full. At most
// 4096 per call. A malformed Bin refuses the whole call with badarg before
// anything is posted.
ERL_NIF_TERM post_raw(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return with_resource<Access::kEnqueue>(env, argv[0], [&](ResourceHandle&, Engine& e) {
    unsigned n = 0;
    if (!enif_get_list_length(env, argv[1], &n)) return raise_badarg(env, "expected post_raw(Handle, [binary()])");
    if (n > 4096) return raise_badarg(env, "at most 4096 events per post_raw");
    std::vector<InboxEvent> events(n);
    ERL_NIF_TERM head, tail = argv[1];
    for (unsigned k = 0; enif_get_list_cell(env, tail, &head, &tail); ++k) {
      ErlNifBinary b;
      if (!enif_inspect_binary(env, head, &b)) return raise_badarg(env, "each event must be a binary");
      auto d = remote_event::decode(*e.res, {b.data, b.size});
      if (!d)
        return raise_badarg(env, "not an event of this resource (another system, or another version of it?): " +
                                     std::string(remote_event::describe(d.error)));
      events[k] = d.event;
    }
    return post_in_order(env, *e.res, events);
  });
}

// read(Handle, [{Fb, Var}]) -> [Value]. Dirty: takes the handle's lock, so
// it sees the variables between slices.
ERL_NIF_TERM read(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return with_resource<Access::kLocked>(env, argv[0], [&](ResourceHandle&, Engine& e) {
    auto items = get_list(env, argv[1]);
    if (!items) return raise_badarg(env, "expected a list of {Fb, Var}");
    const Resource& r = *e.res;
    std::vector<ERL_NIF_TERM> out;
    for (ERL_NIF_TERM item : *items) {
      auto pair = get_tuple(env, item, 2);
      std::optional<std::string> fb, var;
      if (pair) fb = get_string(env, (*pair)[0]), var = get_string(env, (*pair)[1]);
      if (!fb || !var) return raise_badarg(env, "expected {Fb, Var} binaries");
      auto f = r.find_fb(*fb);
      if (!f) return raise_badarg(env, "no FB " + *fb);
      uint32_t slot = 0;
      const VarDecl* d = find_var(r, *f, *var, slot);
      if (!d) return raise_badarg(env, "no variable " + *fb + "." + *var);
      const Value* forced = r.forced(*f, slot);
      out.push_back(make_var(env, *d, forced ? forced : r.vars(*f) + slot));
    }
    return enif_make_list_from_array(env, out.data(), unsigned(out.size()));
  });
}

// write(Handle, Fb, Var, Value) -> ok | {error, inbox_full | forced}: sets
// any variable of an FB between two events (through the inbox, so in
// order with posted events). Only enqueues. A forced variable refuses.
ERL_NIF_TERM write(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return with_resource<Access::kEnqueue>(env, argv[0], [&](ResourceHandle&, Engine& e) {
    auto fb = get_string(env, argv[1]);
    auto var = get_string(env, argv[2]);
    if (!fb || !var) return raise_badarg(env, "FB and variable names must be binaries");
    const Resource& r = *e.res;
    auto f = r.find_fb(*fb);
    if (!f) return raise_badarg(env, "no FB " + *fb);
    uint32_t slot = 0;
    const VarDecl* d = find_var(r, *f, *var, slot);
    if (!d) return raise_badarg(env, "no variable " + *fb + "." + *var);
    if (d->ref_to) return raise_badarg(env, *fb + "." + *var + " is a reference: only the FB's algorithms set it");
    std::vector<Value> values(d->slots());
    if (!get_var(env, argv[3], *d, values.data()))
      return raise_badarg(env, "value for " + *fb + "." + *var + " is not a " + std::string(type_name(d->type)));
    if (r.write_refused(*f, slot, d->slots()))
      return enif_make_tuple2(env, make_atom(env, "error"), make_atom(env, "forced"));
    // Plain writes, in pieces of kMaxValues slots (one producer: in order).
    for (uint32_t done = 0; done < values.size();) {
      InboxEvent ev;
      ev.fb = index_of(*f);
      ev.ei = kNoEvent;
      for (; done < values.size() && ev.count < InboxEvent::kMaxValues; ++done) {
        ev.slot[ev.count] = r.slot_of(*f, slot + done);
        ev.value[ev.count++] = values[done];
      }
      if (!e.res->post(ev)) return inbox_full(env);
    }
    return make_atom(env, "ok");
  });
}

// write_input(Handle, Address, Value) -> ok. Dirty: finds the input point
// (a MIO_IN whose ADDR, or an IX/IB/IW/ID/IL whose PARAMS, is Address;
// under the handle's lock, as the engine may change them) and posts the
// value to it: a boolean for MIO_IN and IX, an integer for the others.
ERL_NIF_TERM write_input(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return with_resource<Access::kLocked>(env, argv[0], [&](ResourceHandle&, Engine& e) {
    auto address = get_string(env, argv[1]);
    if (!address) return raise_badarg(env, "the address must be a binary");
    auto fb = find_input_point(*e.res, *address);
    if (!fb) return raise_badarg(env, "no input point with address '" + *address + "'");
    const DataType type = input_point_type(*e.res, *fb);
    auto value = get_value(env, argv[2], type);
    if (!value) return raise_badarg(env, "the value is not a " + std::string(type_name(type)));
    if (!plc::write_input(*e.res, *fb, *value)) return inbox_full(env);
    return make_atom(env, "ok");
  });
}

// force(Handle, Fb, Var, Value) -> ok: forces a data input, output or
// internal (runtime/forcing.h) until clear_force/3; forcing again changes
// the value. Dirty, under the mutex: between two slices.
ERL_NIF_TERM force(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return with_resource<Access::kLocked>(env, argv[0], [&](ResourceHandle&, Engine& e) {
    FbIndex f{};
    uint32_t slot = 0;
    std::string why;
    const VarDecl* d = find_named_var(env, *e.res, argv[1], argv[2], f, slot, why);
    if (!d) return raise_badarg(env, why);
    std::vector<Value> values(d->slots());
    if (!get_var(env, argv[3], *d, values.data()))
      return raise_badarg(
          env, "value for " + e.res->name_of(f) + "." + d->name + " is not a " + std::string(type_name(d->type)));
    if (auto refused = e.res->force(f, slot, values.data())) return raise_badarg(env, *refused);
    return make_atom(env, "ok");
  });
}

// clear_force(Handle, Fb, Var) -> ok, also when the variable was not
// forced. Dirty, under the mutex.
ERL_NIF_TERM clear_force(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return with_resource<Access::kLocked>(env, argv[0], [&](ResourceHandle&, Engine& e) {
    FbIndex f{};
    uint32_t slot = 0;
    std::string why;
    if (!find_named_var(env, *e.res, argv[1], argv[2], f, slot, why)) return raise_badarg(env, why);
    e.res->clear_force(f, slot);
    return make_atom(env, "ok");
  });
}

// forced(Handle) -> [{Fb, Var, Value}]: the forced variables, in the order
// they were first forced. Dirty, under the mutex.
ERL_NIF_TERM forced(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return with_resource<Access::kLocked>(env, argv[0], [&](ResourceHandle&, Engine& e) {
    std::vector<ERL_NIF_TERM> out;
    for (const ForcedVar& v : e.res->forced())
      out.push_back(enif_make_tuple3(env, make_binary(env, e.res->name_of(v.fb)), make_binary(env, v.var->name),
                                     make_var(env, *v.var, v.value)));
    return enif_make_list_from_array(env, out.data(), unsigned(out.size()));
  });
}

}  // namespace plc::nif
