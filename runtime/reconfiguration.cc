#include "runtime/reconfiguration.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "runtime/forcing.h"
#include "runtime/retain.h"

namespace plc {

namespace {

constexpr uint32_t kGone = Reconfiguration::kGone;

// Two references to the same type (or two non-references): a kept
// reference then refers to a variable of its type in the same layout.
bool same_target(const VarDecl& a, const VarDecl& b) {
  if (!a.ref_to || !b.ref_to) return !a.ref_to && !b.ref_to;
  return retain_signature(*a.ref_to) == retain_signature(*b.ref_to);
}

bool same_vars(const std::vector<VarDecl>& a, const std::vector<VarDecl>& b) {
  if (a.size() != b.size()) return false;
  for (size_t k = 0; k < a.size(); ++k)
    if (!same_identifier(a[k].name, b[k].name) || a[k].type != b[k].type || a[k].slots() != b[k].slots() ||
        a[k].struct_type != b[k].struct_type || !same_target(a[k], b[k]))
      return false;
  return true;
}

// The same type, or a generic instance's concrete type decided the same way.
bool same_type(const FbType& a, const FbType& b) {
  if (&a == &b) return true;
  return same_identifier(a.name, b.name) && a.kind == b.kind && a.ecc == b.ecc &&
         a.native.on_event == b.native.on_event && a.native.on_timer == b.native.on_timer &&
         a.iface.event_inputs.size() == b.iface.event_inputs.size() &&
         a.iface.event_outputs.size() == b.iface.event_outputs.size() && same_vars(a.iface.inputs, b.iface.inputs) &&
         same_vars(a.iface.outputs, b.iface.outputs) && same_vars(a.iface.internals, b.iface.internals);
}

}  // namespace

class StateTransfer {
 public:
  StateTransfer(Resource& from, Resource& to) : from_(from), to_(to) {
    report_.fb_map.assign(from.instances_.size(), kGone);
    to_old_.assign(to.instances_.size(), kGone);
  }

  Reconfiguration run() {
    map_instances();
    copy_held();
    copy_timers();
    copy_observed();
    to_.now_ = from_.now_;
    to_.stats_ = from_.stats_;
    move_queue();
    copy_forces();
    retire();
    to_.stats_.lost = from_.stats_.lost + report_.lost_events;
    return std::move(report_);
  }

 private:
  void map_instances() {
    from_.moved_.assign(from_.instances_.size(), false);
    for (uint32_t n = 0; n < to_.instances_.size(); ++n) {
      auto old = from_.find_fb(to_.names_[n]);
      const Resource::Instance& ni = to_.instances_[n];
      if (!old || !same_type(*from_.instances_[index_of(*old)].type, *ni.type)) {
        ++report_.fresh;
        continue;
      }
      const uint32_t o = index_of(*old);
      std::copy_n(from_.slots_.begin() + from_.instances_[o].slots, ni.type->iface.slot_count(),
                  to_.slots_.begin() + ni.slots);
      report_.fb_map[o] = n;
      to_old_[n] = o;
      from_.moved_[o] = true;
      ++report_.kept;
    }
    report_.removed = uint32_t(from_.instances_.size()) - report_.kept;
  }

  // The instance owning an absolute slot of `r` and the slot's offset in it
  // (nullopt for the slots after the instances: constants, held values).
 public:
  static std::optional<std::pair<uint32_t, uint32_t>> owner(const Resource& r, uint32_t slot) {
    const auto& is = r.instances_;
    auto it = std::upper_bound(is.begin(), is.end(), slot,
                               [](uint32_t s, const Resource::Instance& i) { return s < i.slots; });
    if (it == is.begin()) return std::nullopt;
    --it;
    if (slot >= it->slots + it->type->iface.slot_count()) return std::nullopt;
    return std::pair{uint32_t(it - is.begin()), slot - it->slots};
  }

 private:
  // A slot of `from` in `to`, when its instance was kept.
  std::optional<uint32_t> new_slot(uint32_t old_slot) const {
    auto o = owner(from_, old_slot);
    if (!o || report_.fb_map[o->first] == kGone) return std::nullopt;
    return to_.instances_[report_.fb_map[o->first]].slots + o->second;
  }

  void copy_held() {
    for (const auto& h : to_.held_) {
      auto n = owner(to_, h.src);
      if (!n || to_old_[n->first] == kGone) continue;  // a new FB's output: its initial value
      const uint32_t old_out = from_.instances_[to_old_[n->first]].slots + n->second;
      auto it = std::lower_bound(from_.held_.begin(), from_.held_.end(), old_out,
                                 [](const Resource::SlotCopy& c, uint32_t s) { return c.src < s; });
      to_.slots_[h.dst] = it != from_.held_.end() && it->src == old_out ? from_.slots_[it->dst] : to_.slots_[h.src];
    }
  }

  // A kept FB's forced variables stay forced (forcing.h).
  void copy_forces() {
    for (const ForcedVar& f : from_.forced())
      if (const uint32_t n = report_.fb_map[index_of(f.fb)]; n != kGone) to_.force(FbIndex{n}, f.var_slot, f.value);
  }

  void copy_timers() {
    for (const auto& [deadline, owner] : from_.timers_.in_arming_order())
      if (report_.fb_map[owner] != kGone) to_.timers_.arm(report_.fb_map[owner], deadline);
  }

  void copy_observed() {
    for (uint32_t o = 0; o < from_.instances_.size(); ++o) {
      const uint32_t n = report_.fb_map[o];
      if (n == kGone) continue;
      const uint32_t outs = uint32_t(from_.instances_[o].type->iface.event_outputs.size());
      for (uint32_t eo = 0; eo < outs; ++eo)
        if (from_.outs_[from_.instances_[o].out_base + eo].observed) to_.observe(FbIndex{n}, EventId(eo), true);
    }
  }

  // The source (FB, event output) of each connection of `from`; default
  // plans (injected and timer events) have none.
  std::vector<std::pair<uint32_t, uint32_t>> sources() const {
    std::vector<std::pair<uint32_t, uint32_t>> src(from_.conns_.size(), {kGone, 0});
    for (uint32_t o = 0; o < from_.instances_.size(); ++o) {
      const auto& inst = from_.instances_[o];
      for (uint32_t eo = 0; eo < inst.type->iface.event_outputs.size(); ++eo) {
        const auto& range = from_.outs_[inst.out_base + eo];
        for (uint32_t c = range.begin; c < range.end; ++c) src[c] = {o, eo};
      }
    }
    return src;
  }

  // The connection of `to` that delivers what connection `ci` of `from` did.
  std::optional<uint32_t> new_conn(uint32_t ci, const std::pair<uint32_t, uint32_t>& src) const {
    const Resource::EventConn& c = from_.conns_[ci];
    const uint32_t dst = report_.fb_map[c.dst_fb];
    if (dst == kGone) return std::nullopt;
    if (src.first == kGone) return to_.instances_[dst].in_base + index_of(c.dst_ei);
    const uint32_t s = report_.fb_map[src.first];
    if (s == kGone) return std::nullopt;
    const auto& range = to_.outs_[to_.instances_[s].out_base + src.second];
    for (uint32_t k = range.begin; k < range.end; ++k)
      if (to_.conns_[k].dst_fb == dst && to_.conns_[k].dst_ei == c.dst_ei) return k;
    return std::nullopt;
  }

  void lose(uint32_t fb, EventId ei) {
    ++report_.lost_events;
    if (report_.lost.size() >= Reconfiguration::kListed) return;
    const auto& eis = from_.instances_[fb].type->iface.event_inputs;
    report_.lost.push_back(from_.names_[fb] + "." + (index_of(ei) < eis.size() ? eis[index_of(ei)].name : "?"));
  }

  void move_queue() {
    const auto src = sources();
    std::vector<std::pair<uint32_t, Value>> values;  // (slot in `to`, value)
    while (!from_.fifo_.empty()) {
      uint32_t ci = from_.fifo_.pop();
      values.clear();
      const bool external = ci & Resource::kExternal;
      if (external) {
        ci &= ~Resource::kExternal;
        for (uint64_t n = from_.payload_.pop().u; n > 0; --n) {
          const uint32_t slot = uint32_t(from_.payload_.pop().u);
          const Value v = from_.payload_.pop();
          if (auto s = new_slot(slot)) values.emplace_back(*s, v);
        }
      }
      const Resource::EventConn& c = from_.conns_[ci];
      for (uint32_t k = 0; k < c.carried_count; ++k) {
        const Value v = from_.payload_.pop();
        if (auto s = new_slot(from_.copies_[c.carried + k].dst)) values.emplace_back(*s, v);
      }
      auto nci = new_conn(ci, src[ci]);
      if (!nci) {
        lose(c.dst_fb, c.dst_ei);
        continue;
      }
      if (external ? !push_external(*nci, values) : !push(*nci, values)) lose(c.dst_fb, c.dst_ei);
    }
  }

  // A connection's event, with the values it carries: those the old one
  // carried for the same inputs, else the source's current value.
  bool push(uint32_t ci, const std::vector<std::pair<uint32_t, Value>>& carried) {
    const Resource::EventConn& c = to_.conns_[ci];
    if (to_.fifo_.free() == 0 || to_.payload_.free() < c.carried_count) return false;
    for (uint32_t k = 0; k < c.carried_count; ++k) {
      const Resource::SlotCopy& copy = to_.copies_[c.carried + k];
      auto it = std::find_if(carried.begin(), carried.end(), [&](const auto& p) { return p.first == copy.dst; });
      to_.payload_.push_unchecked(it != carried.end() ? it->second : to_.read_source(copy.src));
    }
    to_.fifo_.push_unchecked(ci);
    return true;
  }

  bool push_external(uint32_t ci, const std::vector<std::pair<uint32_t, Value>>& values) {
    if (to_.fifo_.free() == 0 || to_.payload_.free() < 1 + 2 * values.size()) return false;
    to_.payload_.push_unchecked(Value::of_uint(values.size()));
    for (const auto& [slot, v] : values) {
      to_.payload_.push_unchecked(Value::of_uint(slot));
      to_.payload_.push_unchecked(v);
    }
    to_.fifo_.push_unchecked(ci | Resource::kExternal);
    return true;
  }

  // The inbox moves, and later posts follow it (Resource::forward_post).
  void retire() {
    std::lock_guard<std::mutex> lock(from_.post_mutex_);
    from_.successor_fb_ = report_.fb_map;
    from_.successor_ = &to_;
    forward_staged();
    if (from_.has_waiting_) {
      from_.has_waiting_ = false;
      forward(from_.waiting_);
    }
    InboxEvent e;
    while (from_.inbox_.try_dequeue(e)) forward(e);
  }

  // The parts of an event already taken from the inbox (InboxEvent::more)
  // go ahead of its last part, as parts again.
  void forward_staged() {
    InboxEvent part;
    part.fb = from_.staged_fb_;
    part.more = true;
    for (const auto& [slot, v] : from_.staged_) {
      if (part.count == InboxEvent::kMaxValues) {
        forward(part);
        part.count = 0;
      }
      part.slot[part.count] = slot;
      part.value[part.count++] = v;
    }
    if (part.count) forward(part);
    from_.staged_.clear();
  }

  void forward(const InboxEvent& e) {
    if (!from_.forward_post(e) && e.ei != kNoEvent && e.fb < from_.instances_.size()) lose(e.fb, e.ei);
  }

  Resource& from_;
  Resource& to_;
  Reconfiguration report_;
  std::vector<uint32_t> to_old_;  // FB of `to` -> FB of `from`, or kGone
};

// Under post_mutex_. An event for a deleted FB is refused, like a post to
// a full inbox: the poster counts it.
bool Resource::forward_post(const InboxEvent& e) {
  if (e.fb >= successor_fb_.size() || successor_fb_[e.fb] == kGone) return false;
  InboxEvent n;
  n.fb = successor_fb_[e.fb];
  n.ei = e.ei;
  n.more = e.more;
  for (int k = 0; k < e.count && k < InboxEvent::kMaxValues; ++k) {
    auto o = StateTransfer::owner(*this, e.slot[k]);
    if (!o || successor_fb_[o->first] == kGone) continue;
    n.slot[n.count] = successor_->instances_[successor_fb_[o->first]].slots + o->second;
    n.value[n.count++] = e.value[k];
  }
  return successor_->post(n);
}

Reconfiguration transfer_state(Resource& from, Resource& to) { return StateTransfer(from, to).run(); }

}  // namespace plc
