// Forcing: what forcing.h describes, as patches of a loaded resource's
// tables. Every force and clear undoes all patches and makes them again
// from the list of forces: a management action, linear in the tables'
// size, so that dispatch never asks whether something is forced.
#include "runtime/forcing.h"

#include <algorithm>
#include <string>
#include <unordered_map>

namespace plc {
namespace {

// The data input, output or internal of `iface` whose first slot is
// `var_slot`; `output` says which it is.
const VarDecl* variable_at(const Interface& iface, uint32_t var_slot, bool& output) {
  output = false;
  for (uint16_t k = 0; k < iface.inputs.size(); ++k)
    if (iface.input_slot(k) == var_slot) return &iface.inputs[k];
  for (uint16_t k = 0; k < iface.internals.size(); ++k)
    if (iface.internal_slot(k) == var_slot) return &iface.internals[k];
  output = true;
  for (uint16_t k = 0; k < iface.outputs.size(); ++k)
    if (iface.output_slot(k) == var_slot) return &iface.outputs[k];
  return nullptr;
}

auto find_entry(std::vector<Forcing::Entry>& entries, uint32_t fb, uint32_t var_slot) {
  return std::find_if(entries.begin(), entries.end(),
                      [&](const Forcing::Entry& e) { return e.fb == fb && e.var_slot == var_slot; });
}

}  // namespace

std::optional<std::string> Resource::force(FbIndex fb, uint32_t var_slot, const Value* value) {
  if (index_of(fb) >= instances_.size()) return "no FB instance #" + std::to_string(index_of(fb));
  bool output = false;
  const VarDecl* var = variable_at(type_of(fb).iface, var_slot, output);
  if (!var) return "no variable of " + name_of(fb) + " starts at slot " + std::to_string(var_slot);
  if (var->ref_to) return name_of(fb) + "." + var->name + " is a reference: only the FB's algorithms set it";
  Forcing& f = *forcing_;
  std::vector<Value> v(value, value + var->slots());
  {
    std::lock_guard lock(f.mutex);
    if (auto it = find_entry(f.entries, index_of(fb), var_slot); it != f.entries.end()) it->value = std::move(v);
    else f.entries.push_back({index_of(fb), var_slot, slot_of(fb, var_slot), var, output, std::move(v)});
    f.active = uint32_t(f.entries.size());
  }
  repatch_forces();
  return std::nullopt;
}

bool Resource::clear_force(FbIndex fb, uint32_t var_slot) {
  Forcing& f = *forcing_;
  {
    std::lock_guard lock(f.mutex);
    auto it = find_entry(f.entries, index_of(fb), var_slot);
    if (it == f.entries.end()) return false;
    f.entries.erase(it);
    f.active = uint32_t(f.entries.size());
  }
  repatch_forces();
  return true;
}

const Value* Resource::forced(FbIndex fb, uint32_t var_slot) const {
  for (const auto& e : forcing_->entries)
    if (e.fb == index_of(fb) && e.var_slot == var_slot) return e.value.data();
  return nullptr;
}

std::vector<ForcedVar> Resource::forced() const {
  std::vector<ForcedVar> list;
  for (const auto& e : forcing_->entries) list.push_back({FbIndex{e.fb}, e.var_slot, e.var, e.value.data()});
  return list;
}

bool Resource::write_refused(FbIndex fb, uint32_t var_slot, uint32_t n) const {
  const Forcing& f = *forcing_;
  if (f.active.load(std::memory_order_acquire) == 0) return false;
  std::lock_guard lock(f.mutex);
  for (const auto& e : f.entries)
    if (e.fb == index_of(fb) && var_slot < e.var_slot + e.value.size() && e.var_slot < var_slot + n) return true;
  return false;
}

// Takes the place of the FB's behaviour on every event connection into an
// FB with a forced variable.
void Resource::forced_on_event(FbContext& ctx, EventId ei) {
  Resource& r = ctx.resource();
  const uint32_t fb = ctx.index();
  r.hold_forces(fb);  // against what the event's connections and values wrote
  r.instances_[fb].type->native.on_event(ctx, ei);
  r.hold_forces(fb);  // against the FB's own algorithms
}

void Resource::hold_forces(uint32_t fb) {
  for (const auto& e : forcing_->entries)
    if (e.fb == fb) std::copy(e.value.begin(), e.value.end(), slots_.begin() + e.first);
}

Value Resource::forced_source(uint32_t index) const {
  const Forcing::Source& s = forcing_->sources[index];
  return convert_slot(s.value, s.original);
}

const Value* Resource::forced_view(uint32_t fb, const Value* vars) {
  Forcing& f = *forcing_;
  if (!f.has_output[fb]) return vars;
  std::copy(vars, vars + instances_[fb].type->iface.slot_count(), f.view.begin());
  for (const auto& e : f.entries)
    if (e.fb == fb && e.output) std::copy(e.value.begin(), e.value.end(), f.view.begin() + e.var_slot);
  return f.view.data();
}

void Resource::repatch_forces() {
  Forcing& f = *forcing_;
  using Table = Forcing::Table;
  for (auto p = f.patches.rbegin(); p != f.patches.rend(); ++p) switch (p->table) {
      case Table::kCopy: copies_[p->index].src = p->original; break;
      case Table::kPublish: publish_[p->index].src = p->original; break;
      case Table::kRemote: remotes_[p->index].copies[p->sub].first = p->original; break;
    }
  f.patches.clear();
  f.sources.clear();
  f.outputs = 0;
  f.has_output.assign(instances_.size(), 0);
  std::vector<uint8_t> wrapped(instances_.size(), 0);
  std::unordered_map<uint32_t, Value> out;  // absolute slot of a forced output -> its value
  size_t view = 0;
  for (const auto& e : f.entries) {
    wrapped[e.fb] = 1;
    std::copy(e.value.begin(), e.value.end(), slots_.begin() + e.first);
    if (!e.output) continue;
    ++f.outputs;
    f.has_output[e.fb] = 1;
    view = std::max(view, size_t(instances_[e.fb].type->iface.slot_count()));
    for (uint32_t k = 0; k < e.value.size(); ++k) out.emplace(e.first + k, e.value[k]);
  }
  if (f.view.size() < view) f.view.resize(view);
  if (!out.empty()) {
    auto redirect = [&](uint32_t& tagged, Table table, uint32_t index, uint32_t sub) {
      auto it = out.find(untag_slot(tagged));
      if (it == out.end()) return;
      f.patches.push_back({table, index, sub, tagged});
      f.sources.push_back({it->second, tagged});
      tagged = uint32_t(f.sources.size() - 1) | kForcedSource << kSlotIndexBits;
    };
    for (uint32_t k = 0; k < copies_.size(); ++k) redirect(copies_[k].src, Table::kCopy, k, 0);
    for (uint32_t k = 0; k < remotes_.size(); ++k)
      for (uint32_t j = 0; j < remotes_[k].copies.size(); ++j)
        redirect(remotes_[k].copies[j].first, Table::kRemote, k, j);
    // A held value takes the forced value now and keeps it: its update
    // copies the held slot onto itself.
    for (uint32_t k = 0; k < publish_.size(); ++k)
      if (auto it = out.find(publish_[k].src); it != out.end()) {
        f.patches.push_back({Table::kPublish, k, 0, publish_[k].src});
        publish_[k].src = publish_[k].dst;
        slots_[publish_[k].dst] = it->second;
      }
  }
  for (auto& c : conns_) c.on_event = wrapped[c.dst_fb] ? &forced_on_event : instances_[c.dst_fb].type->native.on_event;
  for (auto& o : outs_) classify(o);
}

}  // namespace plc
