#include "runtime/stdfb/generic_ports.h"

namespace plc::stdfb {
namespace {

template <typename T>
Order order_of(T a, T b) {
  return a < b ? Order::kLess : b < a ? Order::kGreater : Order::kEqual;
}

Order compare_element(const VarDecl& d, const Value* a, const Value* b) {
  if (d.type == DataType::kStruct) {
    if (!d.struct_type) return Order::kEqual;
    for (const VarDecl& m : d.struct_type->members) {
      if (Order o = compare(m, a, b); o != Order::kEqual) return o;
      a += m.slots();
      b += m.slots();
    }
    return Order::kEqual;
  }
  if (is_text(d.type)) {
    const Text x(d, a), y(d, b);
    for (uint32_t k = 0; k < x.size() && k < y.size(); ++k)
      if (x[k] != y[k]) return order_of(x[k], y[k]);
    return order_of(x.size(), y.size());
  }
  if (is_real(d.type)) {
    if (a->r != a->r || b->r != b->r) return Order::kUnordered;
    return order_of(a->r, b->r);
  }
  return held_signed(d.type) ? order_of(a->i, b->i) : order_of(a->u, b->u);
}

}  // namespace

Order compare(const VarDecl& d, const Value* a, const Value* b) {
  const uint32_t n = d.array_size ? d.array_size : 1, step = d.element_slots();
  for (uint32_t k = 0; k < n; ++k)
    if (Order o = compare_element(d, a + k * step, b + k * step); o != Order::kEqual) return o;
  return Order::kEqual;
}

}  // namespace plc::stdfb
