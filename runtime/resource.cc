#include "runtime/resource.h"

#include <algorithm>
#include <map>
#include <set>

#include "runtime/composite.h"
#include "runtime/connection.h"
#include "runtime/forcing.h"
#include "runtime/generic_type.h"

namespace plc {

// Resolves an FbNetwork by name into the flat tables of a Resource, and
// reports every problem it finds, not only the first.
class Loader {
 public:
  Loader(Resource& r, const TypeLibrary& lib, const GenericInstances& generic) : r_(r), lib_(lib), generic_(generic) {}

  Diagnostics load(const FbNetwork& net) {
    add_instances(net);
    add_start_block();
    r_.outs_.resize(out_count_);
    auto data_source = resolve_data(net);
    apply_parameters(data_source);
    auto by_source = resolve_events(net);
    build_connections(by_source, data_source);
    if (r_.slots_.size() > kSlotIndexMask) {  // slot copies keep their conversion in the top bits
      diag_.error("", "the network needs more than 2^29 value slots");
      return std::move(diag_);
    }
    return std::move(diag_);
  }

 private:
  struct Port {
    uint32_t fb;
    const FbType* type;
  };
  struct EventEdge {
    uint32_t src_fb;
    EventId eo;
    uint32_t dst_fb;
    EventId ei;
  };
  // A parameter, checked, waiting to know whether its input is connected.
  struct PendingParameter {
    uint32_t fb;
    uint16_t input;
    std::vector<Value> value;
  };

  std::string where(const std::string& w, const std::string& fallback) { return w.empty() ? fallback : w; }

  void add_instance(const std::string& name, const FbType& type) {
    Resource::Instance inst{&type, uint32_t(r_.slots_.size()), out_count_, 0};
    out_count_ += uint32_t(type.iface.event_outputs.size());
    for (const auto* vars : {&type.iface.inputs, &type.iface.outputs, &type.iface.internals})
      for (const auto& v : *vars) {
        const size_t at = r_.slots_.size();
        r_.slots_.resize(at + v.slots());
        write_initial(v, r_.slots_.data() + at);
      }
    r_.index_.emplace(identifier_key(name), uint32_t(r_.instances_.size()));
    r_.instances_.push_back(inst);
    r_.names_.push_back(name);
  }

  void add_instances(const FbNetwork& net) {
    for (const auto& d : net.fbs) {
      std::string at = where(d.where, d.name);
      if (find(d.name)) {
        diag_.error(at, "duplicate FB instance name '" + d.name + "'");
        continue;
      }
      const FbType* type = lib_.find(d.type);
      if (auto g = generic_.find(identifier_key(d.name)); g != generic_.end()) type = g->second.get();
      if (!type) {
        diag_.error(at, "unknown FB type '" + d.type + "' for instance '" + d.name + "'");
        continue;
      }
      if (!type->native.on_event) {
        diag_.error(at, "FB type '" + type->name + "' of instance '" + d.name + "' has no behaviour");
        continue;
      }
      add_instance(d.name, *type);
      uint32_t fb = uint32_t(r_.instances_.size() - 1);
      for (const auto& p : d.parameters) {
        auto k = type->iface.find_input(p.name);
        if (!k) {
          diag_.error(at, "'" + d.name + "' (" + type->name + ") has no data input '" + p.name + "'");
          continue;
        }
        const VarDecl& var = type->iface.inputs[*k];
        std::vector<Value> value(var.slots());
        write_initial(var, value.data());  // what the literal does not name keeps its initial value
        if (!parse_var_literal(var, literal_for(var, p.literal), value.data())) {
          diag_.error(
              at, "'" + p.literal + "' is not a valid " + describe_type(var) + " literal for " + d.name + "." + p.name);
          continue;
        }
        parameters_.push_back({fb, *k, std::move(value)});
      }
    }
  }

  // Every resource has a START block (E_RESTART) unless the network has one.
  void add_start_block() {
    if (auto fb = find("START")) {
      if (same_identifier(r_.instances_[*fb].type->name, "E_RESTART")) r_.start_fb_ = FbIndex{*fb};
      return;
    }
    if (const FbType* t = lib_.find("E_RESTART")) {
      add_instance("START", *t);
      r_.start_fb_ = FbIndex{uint32_t(r_.instances_.size() - 1)};
    }
  }

  std::optional<uint32_t> find(std::string_view name) const {
    if (auto f = r_.find_fb(name)) return index_of(*f);
    return std::nullopt;
  }

  // "FB.PORT" -> (fb, port name); reports a malformed or unknown FB.
  std::optional<std::pair<Port, std::string>> split(const std::string& ref, const std::string& at) {
    auto dot = ref.rfind('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == ref.size()) {
      diag_.error(at, "'" + ref + "' is not of the form FB.PORT");
      return std::nullopt;
    }
    std::string fb = ref.substr(0, dot);
    auto k = find(fb);
    if (!k) {
      diag_.error(at, "unknown FB instance '" + fb + "' in '" + ref + "'");
      return std::nullopt;
    }
    return std::pair{Port{*k, r_.instances_[*k].type}, ref.substr(dot + 1)};
  }

  // Returns, per absolute input slot, the absolute output slot feeding it.
  std::map<uint32_t, uint32_t> resolve_data(const FbNetwork& net) {
    std::map<uint32_t, uint32_t> source;
    for (const auto& c : net.data_connections) {
      std::string at = where(c.where, c.source + " -> " + c.destination);
      auto s = split(c.source, at);
      auto d = split(c.destination, at);
      if (!s || !d) continue;
      auto out = s->first.type->iface.find_output(s->second);
      auto in = d->first.type->iface.find_input(d->second);
      if (!out) diag_.error(at, "'" + c.source + "' is not a data output");
      if (!in) diag_.error(at, "'" + c.destination + "' is not a data input");
      if (!out || !in) continue;
      const VarDecl& sv = s->first.type->iface.outputs[*out];
      const VarDecl& dv = d->first.type->iface.inputs[*in];
      if (!can_feed(sv, dv)) {
        diag_.error(at, "type mismatch: " + c.source + " is " + describe_type(sv) + " but " + c.destination + " is " +
                            describe_type(dv));
        continue;
      }
      uint32_t src = r_.instances_[s->first.fb].slots + s->first.type->iface.output_slot(*out);
      uint32_t dst = r_.instances_[d->first.fb].slots + d->first.type->iface.input_slot(*in);
      if (source.count(dst)) {
        diag_.error(at, "data input '" + c.destination + "' already has a connection");
        continue;
      }
      const Conversion conv = conversion_of(sv, dv);
      for (uint32_t k = 0; k < dv.slots(); ++k) source.emplace(dst + k, tag_slot(src + k, conv));
    }
    return source;
  }

  // A parameter is a constant feeding its input (see resource.h): an input
  // of a basic or simple FB that some event samples (WITH) gets it from a
  // constant slot whenever such an event arrives, and keeps its declared
  // initial value until then. Native blocks are configured at load, and an
  // input that no event samples, or that a connection feeds, takes the
  // parameter at load as its starting value.
  void apply_parameters(std::map<uint32_t, uint32_t>& data_source) {
    for (auto& p : parameters_) {
      const Resource::Instance& inst = r_.instances_[p.fb];
      const uint32_t base = inst.slots + inst.type->iface.input_slot(p.input);
      bool sampled = inst.type->kind == FbKind::kBasic || inst.type->kind == FbKind::kSimple;
      if (sampled) {
        sampled = false;
        for (const auto& ei : inst.type->iface.event_inputs)
          for (uint16_t w : ei.with) sampled |= w == p.input;
      }
      if (data_source.count(base)) sampled = false;
      if (!sampled) {
        std::copy(p.value.begin(), p.value.end(), r_.slots_.begin() + base);
        continue;
      }
      const uint32_t constant = uint32_t(r_.slots_.size());
      r_.slots_.insert(r_.slots_.end(), p.value.begin(), p.value.end());
      for (uint32_t k = 0; k < p.value.size(); ++k) {
        data_source[base + k] = constant + k;
        constants_.insert(constant + k);
      }
    }
  }

  // The slot that holds what `source` (an output slot) last sent with an
  // event; created on first use, starting at the output's current value.
  uint32_t held_of(uint32_t source) {
    auto [it, fresh] = held_.emplace(source, uint32_t(r_.slots_.size()));
    if (fresh) r_.slots_.push_back(r_.slots_[source]);
    return it->second;
  }

  std::vector<EventEdge> resolve_events(const FbNetwork& net) {
    std::vector<EventEdge> edges;
    for (const auto& c : net.event_connections) {
      std::string at = where(c.where, c.source + " -> " + c.destination);
      auto s = split(c.source, at);
      auto d = split(c.destination, at);
      if (!s || !d) continue;
      auto eo = s->first.type->iface.find_event_output(s->second);
      auto ei = d->first.type->iface.find_event_input(d->second);
      if (!eo) diag_.error(at, "'" + c.source + "' is not an event output");
      if (!ei) diag_.error(at, "'" + c.destination + "' is not an event input");
      if (eo && ei) edges.push_back({s->first.fb, *eo, d->first.fb, *ei});
    }
    // Group by source output; fan-out keeps declaration order.
    std::stable_sort(edges.begin(), edges.end(), [&](const EventEdge& a, const EventEdge& b) {
      return r_.instances_[a.src_fb].out_base + index_of(a.eo) < r_.instances_[b.src_fb].out_base + index_of(b.eo);
    });
    return edges;
  }

  // The plan for delivering an event to (dst, ei), sent by (src, eo) or
  // from outside (src = none): which WITH inputs travel with it, which take
  // what their connection holds or their parameter (resource.h).
  Resource::EventConn plan(uint32_t dst, EventId ei, std::optional<std::pair<uint32_t, EventId>> src,
                           const std::map<uint32_t, uint32_t>& data_source) {
    const auto& di = r_.instances_[dst];
    const auto& decl = di.type->iface.event_inputs[index_of(ei)];
    std::vector<Resource::SlotCopy> carried, live;
    for (uint16_t in : decl.with) {
      const uint32_t base = di.slots + di.type->iface.input_slot(in);
      for (uint32_t k = 0; k < di.type->iface.inputs[in].slots(); ++k) {
        auto it = data_source.find(base + k);
        if (it == data_source.end()) continue;
        const uint32_t sslot = untag_slot(it->second);
        if (constants_.count(sslot)) {
          live.push_back({sslot, base + k});
          continue;
        }
        if (!src) continue;  // an event from outside brings only its own values
        bool travels = false;
        const auto& si = r_.instances_[src->first];
        for (uint16_t out : si.type->iface.event_outputs[index_of(src->second)].with) {
          uint32_t first = si.slots + si.type->iface.output_slot(out);
          if (sslot >= first && sslot < first + si.type->iface.outputs[out].slots()) travels = true;
        }
        if (travels) carried.push_back({it->second, base + k});
        else live.push_back({(it->second & ~kSlotIndexMask) | held_of(sslot), base + k});
      }
    }
    Resource::EventConn c{di.type->native.on_event,
                          dst,
                          ei,
                          di.slots,
                          di.out_base,
                          uint32_t(carried.size()),
                          uint32_t(r_.copies_.size()),
                          0,
                          uint32_t(live.size())};
    r_.copies_.insert(r_.copies_.end(), carried.begin(), carried.end());
    c.live = uint32_t(r_.copies_.size());
    r_.copies_.insert(r_.copies_.end(), live.begin(), live.end());
    return c;
  }

  void build_connections(const std::vector<EventEdge>& edges, const std::map<uint32_t, uint32_t>& data_source) {
    // Default plans first: conns_[in_base + ei] serves injected and timer events.
    for (uint32_t fb = 0; fb < r_.instances_.size(); ++fb) {
      r_.instances_[fb].in_base = uint32_t(r_.conns_.size());
      const auto& eis = r_.instances_[fb].type->iface.event_inputs;
      for (uint16_t k = 0; k < eis.size(); ++k) r_.conns_.push_back(plan(fb, EventId{k}, std::nullopt, data_source));
    }
    for (auto& o : r_.outs_) o = {uint32_t(r_.conns_.size()), uint32_t(r_.conns_.size()), false, 0, 0, 0, 0, 0, 0};
    for (const auto& e : edges) {
      auto& range = r_.outs_[r_.instances_[e.src_fb].out_base + index_of(e.eo)];
      if (range.begin == range.end) range.begin = range.end = uint32_t(r_.conns_.size());
      r_.conns_.push_back(plan(e.dst_fb, e.ei, std::pair{e.src_fb, e.eo}, data_source));
      range.end = uint32_t(r_.conns_.size());
    }
    add_publishing();
    for (auto& o : r_.outs_) r_.classify(o);
    for (const auto& [out, held] : held_) r_.held_.push_back({out, held});
  }

  // Every event output updates the held slots of the outputs it sends.
  void add_publishing() {
    if (held_.empty()) return;
    for (uint32_t fb = 0; fb < r_.instances_.size(); ++fb) {
      const auto& inst = r_.instances_[fb];
      const auto& iface = inst.type->iface;
      for (uint16_t eo = 0; eo < iface.event_outputs.size(); ++eo) {
        auto& range = r_.outs_[inst.out_base + eo];
        range.publish_begin = uint32_t(r_.publish_.size());
        for (uint16_t out : iface.event_outputs[eo].with) {
          const uint32_t first = inst.slots + iface.output_slot(out);
          for (uint32_t k = 0; k < iface.outputs[out].slots(); ++k)
            if (auto it = held_.find(first + k); it != held_.end()) r_.publish_.push_back({first + k, it->second});
        }
        range.publish_end = uint32_t(r_.publish_.size());
      }
    }
  }

  Resource& r_;
  const TypeLibrary& lib_;
  const GenericInstances& generic_;  // the concrete types of generic instances
  Diagnostics diag_;
  uint32_t out_count_ = 0;
  std::vector<PendingParameter> parameters_;
  std::set<uint32_t> constants_;       // slots holding parameters that are sampled
  std::map<uint32_t, uint32_t> held_;  // output slot -> the slot holding what it last sent
};

Resource::Resource(ResourceOptions o)
    : options_(o), fifo_(o.queue_capacity), payload_(o.payload_capacity), forcing_(std::make_unique<Forcing>()) {}

Resource::~Resource() {
  for (uint32_t fb = 0; fb < instances_.size(); ++fb)
    if (auto unload = instances_[fb].type->native.on_unload; unload && !(fb < moved_.size() && moved_[fb])) {
      FbContext ctx(*this, fb, instances_[fb].out_base, slots_.data() + instances_[fb].slots);
      unload(ctx);
    }
}

namespace {

std::optional<Diagnostics> bad_options(const ResourceOptions& options) {
  if (options.queue_capacity != 0 && options.event_budget != 0) return std::nullopt;
  Diagnostics d;
  d.error("", "queue capacity and event budget must be at least 1");
  return d;
}

}  // namespace

Expected<std::unique_ptr<Resource>> Resource::load(const FbNetwork& net, const TypeLibrary& lib,
                                                   ResourceOptions options) {
  if (auto bad = bad_options(options)) return *bad;
  Diagnostics flat_errors;
  // The START block every resource has (Loader::add_start_block) may feed
  // a composite's input: the flattener must know it. Declared last, where
  // the loader would add it.
  const FbNetwork* source = &net;
  FbNetwork with_start;
  const bool has_start = std::any_of(net.fbs.begin(), net.fbs.end(),
                                     [](const FbInstanceDecl& d) { return same_identifier(d.name, "START"); });
  if (!has_start && lib.find("E_RESTART") && has_composites(net, lib)) {
    with_start = net;
    with_start.fbs.push_back({"START", "E_RESTART", {}, ""});
    source = &with_start;
  }
  FbNetwork flat = flatten(*source, lib, flat_errors);
  if (!flat_errors.ok()) return flat_errors;
  GenericInstances generic = resolve_generics(flat, lib, flat_errors);
  if (!flat_errors.ok()) return flat_errors;
  return load_flat(std::unique_ptr<Resource>(new Resource(options)), flat, lib, generic);
}

Expected<std::unique_ptr<Resource>> Resource::load(const FbNetwork& flat, const TypeLibrary& lib,
                                                   ResourceOptions options, const GenericInstances& decided) {
  if (auto bad = bad_options(options)) return *bad;
  return load_flat(std::unique_ptr<Resource>(new Resource(options)), flat, lib, decided);
}

Expected<std::unique_ptr<Resource>> Resource::load_flat(std::unique_ptr<Resource> r, const FbNetwork& flat,
                                                        const TypeLibrary& lib, const GenericInstances& generic) {
  Diagnostics d = Loader(*r, lib, generic).load(flat);
  if (!d.ok()) return d;
  for (const auto& [name, type] : generic)
    if (r->find_fb(name)) r->generic_types_.push_back(type);
  r->timers_ = TimerQueue(uint32_t(r->instances_.size()));
  uint32_t part_values = 0;  // an event in parts carries at most its target's slots
  for (const auto& in : r->instances_)
    if (in.type->native.posted_in_parts) part_values = std::max(part_values, in.type->iface.slot_count());
  r->staged_.reserve(part_values);
  if (const uint32_t needed = r->largest_payload(); needed > r->payload_.capacity()) r->payload_ = Ring<Value>(needed);
  return r;
}

// See the file comment: every event fits into an empty payload ring.
uint32_t Resource::largest_payload() const {
  // An inbox event: a count, then (slot, value) pairs, of one part or of
  // all its parts.
  uint32_t largest = 1 + 2 * std::max(uint32_t(InboxEvent::kMaxValues), uint32_t(staged_.capacity()));
  for (const auto& c : conns_) largest = std::max(largest, c.carried_count);
  return largest;
}

std::optional<FbIndex> Resource::find_fb(std::string_view name) const {
  auto it = index_.find(identifier_key(name));
  if (it == index_.end()) return std::nullopt;
  return FbIndex{it->second};
}

size_t Resource::memory_bytes() const {
  auto heap = [](const std::string& n) { return n.capacity() > 15 ? n.capacity() + 1 : 0; };
  size_t names = 0;
  for (const auto& n : names_) names += sizeof(n) + heap(n);
  // The index as libstdc++ lays it out: the buckets, then per name a node
  // with the next pointer, the (key, index) pair and the cached hash.
  names += index_.bucket_count() * sizeof(void*);
  for (const auto& entry : index_) names += sizeof(void*) + sizeof(entry) + sizeof(size_t) + heap(entry.first);
  return instances_.capacity() * sizeof(Instance) + names + slots_.capacity() * sizeof(Value) +
         outs_.capacity() * sizeof(OutRange) + conns_.capacity() * sizeof(EventConn) +
         (copies_.capacity() + publish_.capacity() + held_.capacity()) * sizeof(SlotCopy) +
         uint32_t(instances_.size()) * 2 * sizeof(uint32_t);  // timer heap
}

void Resource::observe(FbIndex fb, EventId eo, bool on) {
  OutRange& r = outs_[instances_[index_of(fb)].out_base + index_of(eo)];
  r.observed = on;
  classify(r);
}

void Resource::start(bool cold) {
  if (!start_fb_) return;
  const auto& iface = type_of(*start_fb_).iface;
  const uint32_t fb = index_of(*start_fb_);
  if (auto eo = iface.find_event_output(cold ? "COLD" : "WARM")) emit(fb, instances_[fb].out_base, *eo);
}

void Resource::resume(Duration stopped) {
  if (stopped > Duration{0}) timers_.postpone(stopped);
  start(false);
}

void Resource::stop() {
  if (!start_fb_) return;
  const uint32_t fb = index_of(*start_fb_);
  if (auto eo = type_of(*start_fb_).iface.find_event_output("STOP")) emit(fb, instances_[fb].out_base, *eo);
}

bool Resource::inject(FbIndex fb, EventId ei) { return enqueue(instances_[index_of(fb)].in_base + index_of(ei)); }

void Resource::classify(OutRange& r) const {
  // The fast path copies one carried slot as it is: a converting copy, or
  // held values to update, take the general one.
  const bool one = r.end - r.begin == 1;
  if (r.observed || r.remote_begin != r.remote_end || r.publish_begin != r.publish_end || r.end - r.begin > 1 ||
      (one && conns_[r.begin].carried_count > 1) ||
      (one && conns_[r.begin].carried_count == 1 &&
       untag_slot(copies_[conns_[r.begin].carried].src) != copies_[conns_[r.begin].carried].src)) {
    r.fast = kGeneral;
  } else if (r.end == r.begin) {
    r.fast = kNothing;
  } else {
    r.fast = r.begin;
    r.carry_src = conns_[r.begin].carried_count ? copies_[conns_[r.begin].carried].src : kNoCarry;
  }
}

void Resource::emit_general(uint32_t fb, uint32_t out_base, EventId eo) {
  const OutRange& r = outs_[out_base + index_of(eo)];
  for (uint32_t k = r.publish_begin; k < r.publish_end; ++k) slots_[publish_[k].dst] = slots_[publish_[k].src];
  if (r.observed) notify(fb, eo);
  for (uint32_t ci = r.begin; ci < r.end; ++ci)
    if (!enqueue(ci)) overflowed(fb, eo);
  for (uint32_t k = r.remote_begin; k < r.remote_end; ++k) {
    const RemoteLink& link = remotes_[k];
    InboxEvent e;
    e.fb = link.dst_fb;
    e.ei = link.dst_ei;
    for (const auto& [here, there] : link.copies) {
      e.slot[e.count] = there;
      e.value[e.count++] = read_source(here);
    }
    if (!link.target->post(e)) {
      ++stats_.dropped;
      overflowed(fb, eo);
    }
  }
}

Value Resource::read_converted(uint32_t tagged) const {
  if (tagged >> kSlotIndexBits == kForcedSource) return forced_source(untag_slot(tagged));
  return convert_slot(slots_[untag_slot(tagged)], tagged);
}

void Resource::set_remote_links(std::vector<RemoteLink> links) {
  std::stable_sort(links.begin(), links.end(), [&](const RemoteLink& a, const RemoteLink& b) {
    return instances_[index_of(a.src_fb)].out_base + index_of(a.eo) <
           instances_[index_of(b.src_fb)].out_base + index_of(b.eo);
  });
  remotes_ = std::move(links);
  for (uint32_t k = 0; k < remotes_.size(); ++k) {
    OutRange& r = outs_[instances_[index_of(remotes_[k].src_fb)].out_base + index_of(remotes_[k].eo)];
    if (r.remote_begin == r.remote_end) r.remote_begin = k;
    r.remote_end = k + 1;
  }
  for (auto& r : outs_) classify(r);
}

void Resource::notify(uint32_t fb, EventId eo) {
  if (!observer_) return;
  const Value* vars = slots_.data() + instances_[fb].slots;
  if (forcing_->outputs) [[unlikely]]
    vars = forced_view(fb, vars);
  observer_->on_output(FbIndex{fb}, eo, vars);
}

void Resource::overflowed(uint32_t fb, EventId eo) {
  if (observer_) observer_->on_overflow(FbIndex{fb}, eo, stats_.dropped);
}

bool Resource::budget_exhausted() {
  if (quiet_pause_ && pause_hook_) {
    // A short step's instructions are used up: the host goes on in another
    // slice with the full budget. Not a runaway.
    quiet_pause_ = false;
    pause_slice();
    instructions_left_ = options_.instruction_budget;
    return true;
  }
  if (!pause_hook_ || (options_.max_algorithm_slices && pauses_in_event_ >= options_.max_algorithm_slices))
    return false;
  if (pauses_in_event_++ == 0 && observer_) observer_->on_runaway(FbIndex{current_fb_});
  ++stats_.budget_pauses;
  pause_slice();
  instructions_left_ = options_.instruction_budget;
  return true;
}

void Resource::report_fault(uint32_t fb, const char* what, const std::string& where) {
  ++stats_.faults;
  if (observer_) observer_->on_fault(FbIndex{fb}, what, where);
}

void Resource::report_test_end(uint32_t fb) {
  ++stats_.test_ends;
  if (observer_) observer_->on_test_end(FbIndex{fb});
}

// Moves what fits into the queue, at most `max` entries; the rest waits in
// the inbox for the queue to drain (an external burst is held back, not
// dropped; an event that does not fit is held in waiting_ meanwhile). A plain
// write waits until the queue is empty, so that it cannot overtake events
// posted before it. True when the inbox is empty.
bool Resource::drain_inbox(uint32_t max) {
  for (uint32_t moved = 0;; ++moved) {
    if (moved == max) return false;
    if (!has_waiting_) {
      if (!inbox_.try_dequeue(waiting_)) return true;
      has_waiting_ = true;
    }
    const InboxEvent& e = waiting_;
    if (e.fb >= instances_.size()) {  // validated by the poster
      has_waiting_ = false;
      continue;
    }
    if (!staged_.empty() && e.fb != staged_fb_) {  // parts of another FB's event: the poster's bug
      staged_.clear();
      staged_lost_ = false;
    }
    if (e.more) {  // its values wait for the event's last part
      staged_fb_ = e.fb;
      if (staged_.size() + e.count > staged_.capacity()) staged_lost_ = true;
      for (int k = 0; k < e.count && !staged_lost_; ++k) staged_.emplace_back(e.slot[k], e.value[k]);
      has_waiting_ = false;
      continue;
    }
    if (staged_lost_) {
      staged_.clear();
      staged_lost_ = false;
      has_waiting_ = false;
      ++stats_.dropped;
      overflowed(e.fb, kNoEvent);
      continue;
    }
    if (e.ei == kNoEvent) {  // a plain write, between two events
      if (!fifo_.empty()) return false;
      for (const auto& [slot, value] : staged_) slots_[slot] = value;
      for (int k = 0; k < e.count; ++k) slots_[e.slot[k]] = e.value[k];
      staged_.clear();
      if (!forcing_->entries.empty()) hold_forces(e.fb);  // a write posted before a force
      has_waiting_ = false;
      continue;
    }
    const uint32_t values = uint32_t(staged_.size()) + e.count;
    const bool fits = fifo_.free() > 0 && payload_.free() >= 1u + 2u * values;
    if (!fits && !fifo_.empty()) return false;  // once the queue has drained
    has_waiting_ = false;
    if (!enqueue_external(e)) overflowed(e.fb, kNoEvent);  // could never fit
    staged_.clear();
  }
}

bool Resource::enqueue_external(const InboxEvent& e) {
  const uint32_t ci = instances_[e.fb].in_base + index_of(e.ei);
  const uint32_t values = uint32_t(staged_.size()) + e.count;
  if (values == 0) return enqueue(ci);
  if (fifo_.free() == 0 || payload_.free() < 1u + 2u * values) {
    ++stats_.dropped;
    return false;
  }
  payload_.push_unchecked(Value::of_uint(values));
  for (const auto& [slot, value] : staged_) {
    payload_.push_unchecked(Value::of_uint(slot));
    payload_.push_unchecked(value);
  }
  for (int k = 0; k < e.count; ++k) {
    payload_.push_unchecked(Value::of_uint(e.slot[k]));
    payload_.push_unchecked(e.value[k]);
  }
  fifo_.push_unchecked(ci | kExternal);
  if (fifo_.size() > stats_.max_depth) stats_.max_depth = fifo_.size();
  return true;
}

uint32_t Resource::take_external(uint32_t ci) {
  for (uint64_t n = payload_.pop().u; n > 0; --n) {
    const uint64_t slot = payload_.pop().u;
    slots_[slot] = payload_.pop();
  }
  return ci & ~kExternal;
}

StepResult Resource::step(Time now) {
  StepResult res;
  uint64_t dispatched = 0;
  // Timer expiries count against the budget like events, so a zero-period
  // timer cannot hold the step either.
  uint32_t budget = options_.event_budget;
  instructions_left_ = options_.instruction_budget;
  quiet_pause_ = short_events_ != 0;  // also after an exception ended the last step early
  if (short_events_) {                // limit_next_step()
    budget = std::min(budget, short_events_);
    instructions_left_ = std::min(instructions_left_, short_instructions_);
    short_events_ = 0;
  }
  // Events queued since the last step (inject) happen now, unless a timer
  // was due before: then time advances to it first. Time never goes back.
  now_ = std::max(now_, std::min(now, timers_.next_deadline()));
  bool inbox_drained = false;
  for (;;) {
    // One round: the events queued when it starts (their own events wait for
    // the next round), so that due timers and the inbox get their turn
    // between rounds even when a cycle of connections keeps the queue full.
    const uint32_t run = std::min(budget, fifo_.size());
    for (uint32_t k = 0; k < run; ++k) dispatch(fifo_.pop());
    dispatched += run;
    budget -= run;
    if (budget == 0) break;
    if (timers_.next_deadline() <= now) {
      now_ = timers_.next_deadline();
      uint32_t fb = timers_.pop();
      const Instance& inst = instances_[fb];
      current_fb_ = fb;
      FbContext ctx(*this, fb, inst.out_base, slots_.data() + inst.slots);
      if (inst.type->native.on_timer) inst.type->native.on_timer(ctx);
      --budget;
      continue;
    }
    if (now_ < now) now_ = now;
    if (!inbox_drained) {
      // Again, once the queue has room, when the queue filled up first. At
      // most what the step's budget has left: a short step stays short.
      inbox_drained = drain_inbox(budget) || fifo_.empty();
      continue;
    }
    if (fifo_.empty()) break;
  }
  if (now_ < now && timers_.next_deadline() > now) now_ = now;
  stats_.dispatched += dispatched;
  res.dispatched = dispatched;
  quiet_pause_ = false;
  res.more_work = !fifo_.empty() || timers_.next_deadline() <= now || has_waiting_ || inbox_.size_approx() > 0;
  if (res.more_work) ++stats_.budget_yields;
  res.next_deadline = timers_.next_deadline();
  return res;
}

}  // namespace plc
