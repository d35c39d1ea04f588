// A resource (IEC 61499-1 6.1): an FB network of instances, one FIFO event
// queue, the instances' timers and an inbox for events from other threads.
//
// Execution (6.1.3, and what 4diac FORTE does): events are dispatched one at
// a time, breadth-first, in the order they were queued. All names are
// resolved by load(); dispatching an event is index arithmetic on flat
// arrays and allocates nothing.
//
// Data travels with its event. When an FB emits an event output, the current
// values of the outputs in its WITH list that are connected to the
// receiver's WITH-associated inputs are copied into the queue together with
// the event; when the receiver's event is dispatched, those copies are
// written into its inputs. A later event from the same sender therefore
// cannot overwrite the data of an earlier one that is still queued (FORTE
// samples at dispatch and loses it: 4diac-forte #42, #280).
//
// The other inputs in the event's WITH list (IEC 61499-1 WITH semantics, as
// 4diac's reference examples pin them) take, at dispatch:
// - if connected, what the connection holds: the value its source output
//   last *sent* (with an event that has the output in its WITH list), kept
//   in a held slot that the source's events update (publish_); before any
//   such event, the output's initial value. Not the output's current value.
//   An event from outside the resource (inject(), the inbox) brings only
//   what it carries: connected inputs keep their values.
// - if not connected but given a parameter, the parameter, as from a
//   constant: an input of a basic or simple FB holds its declared initial
//   value until an event samples it. Native blocks, inputs that no event
//   samples, and connected inputs get their parameter at load.
// Inputs not associated with the event are not touched.
//
// Overflow policy: the queue holds at most `queue_capacity` events (and
// `payload_capacity` carried values). An event emitted into a full queue is
// not queued; it is counted in Stats::dropped and reported to the observer
// (on_overflow) during the same step. Events already queued are never lost.
// Every event must fit into an empty queue, or it could never be delivered:
// load() therefore grows the payload ring to the largest event the network
// carries (and to what an inbox event may carry) when `payload_capacity`
// is smaller. It grows rather than refuses because the capacity is sizing,
// not semantics (the NIF derives it from queue_capacity, and users of
// STRING or ARRAY data should not have to compute it); payload_capacity()
// tells what was chosen.
// Events from other threads (post()) wait in the inbox, in the order they
// were posted (across threads too), until the queue has
// room for them: a burst from outside is held back, not dropped. The inbox
// holds at most `inbox_capacity` events; post() refuses beyond that, which
// is how a storm from outside is bounded (the poster is told at once).
// An event whose values do not fit into one InboxEvent is posted as parts
// (post(parts, n), atomically): every part but the last has `more` set, and
// the values of all parts travel together with the last part's event, as
// one queued event. Only blocks that ask for it (NativeBehaviour::
// posted_in_parts) take parts, of at most as many values as they have
// slots (load() grows the payload ring for that); parts for another block
// are dropped and counted as an overflow.
//
// Budget: step() dispatches at most `event_budget` events (and timer
// expiries) and then returns with more_work set, so an event storm (a cycle
// of connections) cannot hold the host; the caller resumes it with the next
// step(). Algorithms draw from `instruction_budget` per step (charged at
// every backward jump, by the length of the loop body, and by ECCs that
// keep firing). When it runs out inside a ResourceFiber the slice pauses in
// the middle of the algorithm and resumes there in the next slice; the
// first pause of an event is reported (on_runaway) and counted. After
// `max_algorithm_slices` pauses in one event (0: never), or at once when
// the resource cannot pause (no fiber), the algorithm is stopped with a
// fault. Faults (division by zero, index out of bounds, budget) stop the
// algorithm, are counted and reported (on_fault); the event chain goes on.
//
// Forcing (forcing.h) patches these tables while a force holds, so that
// unforced ports pay nothing for it.
//
// Names: instances are found by name through a hash table keyed by the
// upper-case name (IEC identifiers ignore case), so loading is linear in
// the size of the network and find_fb() is O(1) for the NIF's post/4.
#pragma once

#include <concurrentqueue/concurrentqueue.h>

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "runtime/clock.h"
#include "runtime/connection.h"
#include "runtime/event_queue.h"
#include "runtime/fb_network.h"
#include "runtime/fb_type.h"
#include "runtime/generic_type.h"
#include "runtime/status.h"
#include "runtime/timer_queue.h"
#include "runtime/type_library.h"

namespace plc {

// Index of an FB instance within its resource.
enum class FbIndex : uint32_t {};
constexpr uint32_t index_of(FbIndex f) { return static_cast<uint32_t>(f); }

struct ResourceOptions {
  uint32_t queue_capacity = 4096;
  uint32_t payload_capacity = 16384;     // values carried by queued events; load() may grow it
  uint32_t event_budget = 100000;        // events per step
  int64_t instruction_budget = 1000000;  // algorithm instructions per step
  uint32_t max_algorithm_slices = 0;     // pauses allowed in one event; 0: unlimited
  // Events waiting in the inbox (from other threads) beyond which post()
  // refuses: the bound on what an event storm from outside can hold.
  uint32_t inbox_capacity = 1u << 16;
};

struct Stats {
  uint64_t dispatched = 0;     // events delivered to an FB
  uint64_t dropped = 0;        // events refused by a full queue
  uint32_t max_depth = 0;      // deepest the queue has been
  uint64_t budget_yields = 0;  // steps that ended with work left
  uint64_t budget_pauses = 0;  // slices paused inside an algorithm
  uint64_t faults = 0;         // algorithms stopped by a run-time fault
  uint64_t test_ends = 0;      // STEST_END blocks that fired (the host ends the test run)
  uint64_t lost = 0;           // queued or posted events whose FB or connection a reconfiguration removed
};

struct StepResult {
  uint64_t dispatched = 0;
  bool more_work = false;       // budget ran out: call step() again soon
  Time next_deadline = kNever;  // earliest armed timer
};

// Told about events leaving the network and about trouble. The callbacks
// run in the middle of a step, on the resource's fiber stack (scheduler.h),
// where an exception could not be unwound safely: they are noexcept, and
// an implementation that can fail (allocation) must handle it itself.
// What a communication block asks of the host (ResourceObserver::on_service).
enum class ServiceRequest : uint8_t { kOpen, kSend, kClose };

class ResourceObserver {
 public:
  virtual ~ResourceObserver() = default;
  // An observed event output fired; `vars` are the sender's slots.
  virtual void on_output(FbIndex fb, EventId eo, const Value* vars) noexcept = 0;
  // An event from fb.eo was refused by a full queue (eo is kNoEvent when the
  // refused event came through the inbox, addressed to fb).
  virtual void on_overflow(FbIndex /*fb*/, EventId /*eo*/, uint64_t /*dropped_total*/) noexcept {}
  // An algorithm or ECC of `fb` used up a slice's instruction budget and is
  // still running (reported once per event).
  virtual void on_runaway(FbIndex /*fb*/) noexcept {}
  // An algorithm of `fb` stopped with a run-time fault, or an exception
  // escaped from `fb`'s native code (where is then "").
  virtual void on_fault(FbIndex /*fb*/, const char* /*what*/, const std::string& /*where*/) noexcept {}
  // A process-image output (MIO_OUT, process_image.h) writes `v` to `address`.
  virtual void on_io_write(FbIndex /*fb*/, const std::string& /*address*/, DataType /*type*/, Value /*v*/) noexcept {}
  // A STEST_END block (4diac's test support) ended the test run; FORTE
  // kills its device, here the host decides.
  virtual void on_test_end(FbIndex /*fb*/) noexcept {}
  // A management block (stdfb/management.h: ST_CREATE_FB, EC_START_ELEM,
  // ...) asks its host to run its command; `vars` are its slots. The host
  // answers with stdfb::management_answer().
  virtual void on_management(FbIndex /*fb*/, const Value* /*vars*/) noexcept {}
  // A communication block (stdfb/communication.h) asks its host to open,
  // use or close its channel number `channel`; `vars` are its slots (the
  // ID at kOpen, the SDs at kSend). The host answers with
  // stdfb::service_answer().
  virtual void on_service(FbIndex /*fb*/, ServiceRequest /*what*/, uint32_t /*channel*/,
                          const Value* /*vars*/) noexcept {}
};

// An event entering from outside the resource's thread, with the values of
// the target's inputs that it carries.
struct InboxEvent {
  static constexpr int kMaxValues = 8;
  uint32_t fb = 0;
  EventId ei = kNoEvent;  // kNoEvent: only write the values
  uint8_t count = 0;
  bool more = false;  // a part: the next InboxEvent carries more values of this event (see the file comment)
  std::array<uint32_t, kMaxValues> slot{};  // absolute slot indices
  std::array<Value, kMaxValues> value{};
};

// Where an event for another resource goes: that resource's inbox, or
// something standing in for it (a host's socket that survives the target's
// restart, a link to another node). Called from the sending resource's
// thread; must not block and must not throw. False: the event was refused
// (a full inbox, a target that is down) and is counted as dropped.
class EventSink {
 public:
  virtual bool post(const InboxEvent& e) = 0;

 protected:
  ~EventSink() = default;
};

// An event connection from an FB of this resource to an FB of another
// resource of the same device (device.h): the event and the values of the
// receiver's WITH inputs fed by the sender travel through the target's
// inbox. At most InboxEvent::kMaxValues slots.
struct RemoteLink {
  FbIndex src_fb;
  EventId eo;
  EventSink* target;
  uint32_t target_resource;  // index of the target among the device's resources
  uint32_t dst_fb;
  EventId dst_ei;
  std::vector<std::pair<uint32_t, uint32_t>> copies;  // (slot here tagged as SlotCopy::src, slot there)
};

// What a native block sees while it handles an event or its timer.
class FbContext {
 public:
  FbContext(Resource& r, uint32_t fb, uint32_t out_base, Value* vars) : r_(r), fb_(fb), out_base_(out_base), v(vars) {}
  inline void emit(EventId eo);
  inline Time now() const;
  // Arms the instance's timer `after` from now(): at least 1 ns (a timer
  // never fires at the instant it is armed, so a zero period cannot spin),
  // saturating at kNever (never fires). Re-arming replaces the deadline.
  inline void start_timer(Duration after);
  inline void cancel_timer();
  inline bool timer_armed() const;
  inline const FbType& type() const;
  inline void fault(const char* what, const std::string& where);
  // The test run is over (STEST_END): counted, and the observer is told.
  inline void end_test();
  uint32_t index() const { return fb_; }
  Resource& resource() { return r_; }

 private:
  Resource& r_;
  uint32_t fb_;
  uint32_t out_base_;  // the instance's first event output in Resource::outs_

 public:
  Value* const v;  // the instance's slots: inputs, outputs, internals
};

struct Forcing;    // forcing.h
struct ForcedVar;  // forcing.h

class Resource final : public EventSink {
 public:
  static Expected<std::unique_ptr<Resource>> load(const FbNetwork& net, const TypeLibrary& lib,
                                                  ResourceOptions options = {});
  // Calls every native instance's on_unload (fb_type.h).
  ~Resource();
  Resource(const Resource&) = delete;
  Resource& operator=(const Resource&) = delete;
  // As load(), with the generic instances' types already decided over a
  // larger network (a device's application, whose connections between
  // resources decide types too): `net` must be flat.
  static Expected<std::unique_ptr<Resource>> load(const FbNetwork& net, const TypeLibrary& lib, ResourceOptions options,
                                                  const GenericInstances& decided);

  // --- lookup by name (load time, and the NIF's post/4 from any thread) ---
  std::optional<FbIndex> find_fb(std::string_view name) const;  // case-insensitive, O(1)
  const FbType& type_of(FbIndex fb) const { return *instances_[index_of(fb)].type; }
  const std::string& name_of(FbIndex fb) const { return names_[index_of(fb)]; }
  uint32_t fb_count() const { return uint32_t(instances_.size()); }

  // --- the owning thread ---
  // Fires START.COLD (or WARM) of the resource's START block.
  void start(bool cold = true);
  // Fires START.STOP (the resource is about to stop).
  void stop();
  // START after a STOP (IEC 61499-1 management, FORTE's E_RESTART): the
  // resource was held for `stopped` (the host ran no step meanwhile); its
  // armed timers continue where they stood (each deadline `stopped`
  // later, so a cycle does not catch up on what it missed) and START.WARM
  // fires.
  void resume(Duration stopped);
  // Queues an event input of an FB as if it came through a connection.
  bool inject(FbIndex fb, EventId ei);
  // Runs queued events, due timers and the inbox. See the file comment.
  StepResult step(Time now);
  Value* vars(FbIndex fb) { return slots_.data() + instances_[index_of(fb)].slots; }
  const Value* vars(FbIndex fb) const { return slots_.data() + instances_[index_of(fb)].slots; }
  void observe(FbIndex fb, EventId eo, bool on);
  void set_observer(ResourceObserver* o) { observer_ = o; }
  ResourceObserver* observer() const { return observer_; }
  // Absolute index of the instance's first slot (InboxEvent::slot).
  uint32_t slot_of(FbIndex fb) const { return instances_[index_of(fb)].slots; }
  const Stats& stats() const { return stats_; }
  // Heap bytes held by the loaded network's tables (not the queue storage).
  size_t memory_bytes() const;
  uint32_t queue_depth() const { return fifo_.size(); }
  uint32_t payload_capacity() const { return payload_.capacity(); }  // as grown by load()
  Time now() const { return now_; }
  Time next_deadline() const { return timers_.next_deadline(); }

  // Makes the next step() short: at most `events` events, and when
  // `instructions` algorithm instructions are used up the slice pauses
  // without a runaway report (once; the rest of the step, resumed in the
  // next slice, has the full instruction budget). A host runs such a step
  // where it may only hold a thread briefly (a normal BEAM scheduler) and
  // continues elsewhere when it pauses.
  void limit_next_step(uint32_t events, int64_t instructions) {
    short_events_ = events;
    short_instructions_ = instructions;
  }

  // Ends the current slice in the middle of an event when the resource runs
  // inside a ResourceFiber; a no-op otherwise. See scheduler.h.
  void pause_slice() {
    if (pause_hook_) pause_hook_(pause_arg_);
  }
  void set_pause_hook(void (*hook)(void*), void* arg) {
    pause_hook_ = hook;
    pause_arg_ = arg;
  }

  // Charges `n` instructions to the step's budget; false when the running
  // algorithm must stop. See the file comment.
  // Basic and simple FBs announce themselves before running algorithms, so
  // a runaway can be reported against them.
  void enter_algorithms(uint32_t fb) {
    current_fb_ = fb;
    pauses_in_event_ = 0;
  }
  bool charge(int64_t n) {
    instructions_left_ -= n;
    return instructions_left_ > 0 || budget_exhausted();
  }
  void report_fault(uint32_t fb, const char* what, const std::string& where);
  void report_test_end(uint32_t fb);
  // An exception escaped from step() (a bug in a native block): reported as
  // a fault of the FB that was running. The rest of that FB's event is
  // lost; queued events are not, and the next step() goes on with them.
  void report_escaped_exception(const char* what) { report_fault(current_fb_, what, ""); }

  // --- any thread ---
  // False when the inbox holds inbox_capacity events (or memory ran out);
  // the event is then not queued. Posts are totally ordered: one producer
  // token, taken under a short lock, because moodycamel orders only the
  // events of one producer, and an Erlang process that posts twice may do
  // so from two scheduler threads.
  bool post(const InboxEvent& e) override {
    bool ok;
    {
      std::lock_guard<std::mutex> lock(post_mutex_);
      if (successor_) [[unlikely]]
        return forward_post(e);
      ok = inbox_.size_approx() < options_.inbox_capacity && inbox_.enqueue(post_token_, e);
    }
    if (wakeup_) wakeup_(wakeup_arg_);
    return ok;
  }
  // Posts the parts of one event (all but the last with `more` set), all or
  // none, with nothing from another poster between them.
  bool post(const InboxEvent* parts, uint32_t n) {
    bool ok = true;
    {
      std::lock_guard<std::mutex> lock(post_mutex_);
      if (successor_) [[unlikely]] {
        for (uint32_t k = 0; k < n; ++k) ok = forward_post(parts[k]) && ok;
        return ok;
      }
      ok = inbox_.size_approx() + n <= options_.inbox_capacity && inbox_.enqueue_bulk(post_token_, parts, n);
    }
    if (wakeup_) wakeup_(wakeup_arg_);
    return ok;
  }
  // Called on the posting thread after every post(), so the host can make
  // sure a step() follows (set before the resource runs).
  void set_wakeup(void (*fn)(void*), void* arg) {
    wakeup_ = fn;
    wakeup_arg_ = arg;
  }
  // Connections to other resources (load time, before the resource runs).
  void set_remote_links(std::vector<RemoteLink> links);
  uint32_t slot_of(FbIndex fb, uint32_t var_slot) const { return instances_[index_of(fb)].slots + var_slot; }

  const ResourceOptions& options() const { return options_; }
  // --- forcing (forcing.h): the owning thread, between slices ---
  // Forces the variable of `fb` whose first slot is `var_slot` to `value`
  // (its slots() values); an error message when there is no such variable.
  std::optional<std::string> force(FbIndex fb, uint32_t var_slot, const Value* value);
  bool clear_force(FbIndex fb, uint32_t var_slot);           // false: it was not forced
  const Value* forced(FbIndex fb, uint32_t var_slot) const;  // the forced value, or null
  std::vector<ForcedVar> forced() const;
  // Any thread: whether writing slots [var_slot, var_slot + n) of fb would touch a forced variable.
  bool write_refused(FbIndex fb, uint32_t var_slot, uint32_t n) const;

  // --- for FbContext ---
  inline void emit(uint32_t fb, uint32_t out_base, EventId eo);
  TimerQueue& timers() { return timers_; }

 private:
  struct Instance {
    const FbType* type;
    uint32_t slots;     // first slot
    uint32_t out_base;  // first entry in outs_
    uint32_t in_base;   // first entry in conns_: its per-input default plans
  };
  // The connections of one event output, and how emit() handles it: most
  // outputs have exactly one connection carrying at most one value, which
  // takes the inline fast path; the rest go through emit_general().
  struct OutRange {
    uint32_t begin, end;  // connection indices in conns_
    bool observed;
    uint32_t fast;                                // the one connection, or kNothing / kGeneral
    uint32_t carry_src;                           // its carried slot, or kNoCarry
    uint32_t remote_begin = 0, remote_end = 0;    // its links in remotes_
    uint32_t publish_begin = 0, publish_end = 0;  // held values it updates, in publish_
  };
  static constexpr uint32_t kNothing = UINT32_MAX;      // no connection, not observed
  static constexpr uint32_t kGeneral = UINT32_MAX - 1;  // fan-out, observed, several values
  static constexpr uint32_t kNoCarry = UINT32_MAX;
  // A queued event from the inbox: its values follow in the payload ring as
  // a count and (slot, value) pairs; the rest of the entry is the conn.
  static constexpr uint32_t kExternal = 0x80000000u;
  bool enqueue_external(const InboxEvent& e);
  uint32_t largest_payload() const;
  static Expected<std::unique_ptr<Resource>> load_flat(std::unique_ptr<Resource> r, const FbNetwork& flat,
                                                       const TypeLibrary& lib, const GenericInstances& generic);
  uint32_t take_external(uint32_t ci);
  void classify(OutRange& r) const;
  void emit_general(uint32_t fb, uint32_t out_base, EventId eo);
  // One way an event reaches an FB input: a connection, or (for injected
  // and timer events) the input's default plan.
  // Everything dispatch needs is in here (32 bytes), so delivering an event
  // reads no other table before calling the receiver.
  struct EventConn {
    void (*on_event)(FbContext&, EventId);  // the receiver's behaviour
    uint32_t dst_fb;
    EventId dst_ei;
    uint32_t dst_slots;     // the receiver's first slot
    uint32_t dst_out_base;  // the receiver's first event output in outs_
    uint32_t carried_count;
    uint32_t carried;  // first SlotCopy travelling with the event
    uint32_t live;     // first SlotCopy sampled at dispatch
    uint32_t live_count;
  };
  // src is tagged with the conversion its value needs (connection.h).
  struct SlotCopy {
    uint32_t src, dst;
  };
  // A plain slot on the hot path; a conversion out of line.
  Value read_source(uint32_t tagged) const {
    if (tagged <= kSlotIndexMask) [[likely]]
      return slots_[tagged];
    return read_converted(tagged);
  }
  [[gnu::noinline, gnu::cold]] Value read_converted(uint32_t tagged) const;

  explicit Resource(ResourceOptions o);
  // Inlined into step() by force: the rare copies inside must not push it out of line.
  [[gnu::always_inline]] inline void dispatch(uint32_t conn);
  bool drain_inbox(uint32_t max);
  bool enqueue(uint32_t conn);
  void notify(uint32_t fb, EventId eo);      // an observed output fired
  void overflowed(uint32_t fb, EventId eo);  // an event of fb.eo was refused
  friend class Loader;
  friend class StateTransfer;  // reconfiguration.h
  // After a reconfiguration (reconfiguration.h) this resource is retired:
  // what is posted to it goes to its successor, its FBs renumbered.
  bool forward_post(const InboxEvent& e);
  static void forced_on_event(FbContext& ctx, EventId ei);  // forcing.cc
  void hold_forces(uint32_t fb);
  void repatch_forces();
  [[gnu::noinline, gnu::cold]] Value forced_source(uint32_t index) const;
  const Value* forced_view(uint32_t fb, const Value* vars);

  ResourceOptions options_;
  std::vector<Instance> instances_;
  // The concrete types of this network's generic instances (generic_type.h):
  // owned here, since no library holds them.
  std::vector<std::shared_ptr<const FbType>> generic_types_;
  std::vector<std::string> names_;
  std::unordered_map<std::string, uint32_t> index_;  // identifier_key(name) -> instance
  std::vector<Value> slots_;
  std::vector<OutRange> outs_;
  std::vector<EventConn> conns_;
  std::vector<SlotCopy> copies_;
  std::vector<SlotCopy> publish_;  // output slot -> the slot holding what it last sent
  std::vector<SlotCopy> held_;     // every (output slot, held slot), by output slot
  Ring<uint32_t> fifo_;
  Ring<Value> payload_;
  TimerQueue timers_{0};
  moodycamel::ConcurrentQueue<InboxEvent> inbox_;
  std::mutex post_mutex_;
  moodycamel::ProducerToken post_token_{inbox_};
  InboxEvent waiting_;  // taken from the inbox, waiting for room in the queue
  bool has_waiting_ = false;
  // The values of the parts before waiting_ (InboxEvent::more), reserved
  // at load to the most slots a part may carry.
  std::vector<std::pair<uint32_t, Value>> staged_;
  uint32_t staged_fb_ = 0;
  bool staged_lost_ = false;  // more values than staged_ holds: the event is dropped
  // Set by a reconfiguration (reconfiguration.h): the instances whose state
  // (an open file included) moved to the successor, and where posts go.
  std::vector<bool> moved_;
  Resource* successor_ = nullptr;
  std::vector<uint32_t> successor_fb_;  // this resource's FB -> the successor's, or UINT32_MAX
  ResourceObserver* observer_ = nullptr;
  std::optional<FbIndex> start_fb_;
  Stats stats_;
  Time now_{0};
  std::vector<RemoteLink> remotes_;
  void (*wakeup_)(void*) = nullptr;
  void* wakeup_arg_ = nullptr;
  void (*pause_hook_)(void*) = nullptr;
  void* pause_arg_ = nullptr;
  int64_t instructions_left_ = 0;
  uint32_t pauses_in_event_ = 0;
  uint32_t short_events_ = 0;  // limit_next_step(); 0: none
  int64_t short_instructions_ = 0;
  bool quiet_pause_ = false;  // the running step is short: pause without a report
  uint32_t current_fb_ = 0;   // the FB being dispatched, or whose timer fired
  bool budget_exhausted();
  std::unique_ptr<Forcing> forcing_;
};

// ---- hot path, inline ----

inline bool Resource::enqueue(uint32_t ci) {
  const EventConn& c = conns_[ci];
  if (fifo_.size() >= fifo_.capacity() || payload_.free() < c.carried_count) [[unlikely]] {
    ++stats_.dropped;
    return false;
  }
  for (uint32_t k = 0; k < c.carried_count; ++k) payload_.push_unchecked(read_source(copies_[c.carried + k].src));
  fifo_.push_unchecked(ci);
  if (fifo_.size() > stats_.max_depth) [[unlikely]]
    stats_.max_depth = fifo_.size();
  return true;
}

// The hot path. Ring indices live in locals so that stores into the ring
// cannot force them to be reloaded.
inline void Resource::emit(uint32_t fb, uint32_t out_base, EventId eo) {
  const OutRange& r = outs_[out_base + index_of(eo)];
  const uint32_t ci = r.fast;
  if (ci >= kGeneral) [[unlikely]] {
    if (ci == kGeneral) emit_general(fb, out_base, eo);
    return;
  }
  const uint32_t head = fifo_.head();
  const uint32_t tail = fifo_.tail();
  if (tail - head >= fifo_.capacity()) [[unlikely]] {
    ++stats_.dropped;
    return overflowed(fb, eo);
  }
  if (r.carry_src != kNoCarry) {
    if (payload_.free() == 0) [[unlikely]] {
      ++stats_.dropped;
      return overflowed(fb, eo);
    }
    payload_.push_unchecked(slots_[r.carry_src]);
  }
  fifo_.put(tail, ci);
  fifo_.set_tail(tail + 1);
  if (tail + 1 - head > stats_.max_depth) [[unlikely]]
    stats_.max_depth = tail + 1 - head;
}

inline void Resource::dispatch(uint32_t ci) {
  if (ci & kExternal) [[unlikely]]
    ci = take_external(ci);
  const EventConn& c = conns_[ci];
  if (c.carried_count) [[unlikely]]
    for (uint32_t k = 0; k < c.carried_count; ++k) slots_[copies_[c.carried + k].dst] = payload_.pop();
  if (c.live_count) [[unlikely]]
    for (uint32_t k = 0; k < c.live_count; ++k) {
      const SlotCopy& s = copies_[c.live + k];
      slots_[s.dst] = read_source(s.src);
    }
  current_fb_ = c.dst_fb;
  FbContext ctx(*this, c.dst_fb, c.dst_out_base, slots_.data() + c.dst_slots);
  c.on_event(ctx, c.dst_ei);
}

inline void FbContext::emit(EventId eo) { r_.emit(fb_, out_base_, eo); }
inline Time FbContext::now() const { return r_.now(); }
inline void FbContext::start_timer(Duration after) {
  const Time now = r_.now();
  if (after < Duration{1}) after = Duration{1};
  r_.timers().arm(fb_, after > kNever - now ? kNever : now + after);
}
inline void FbContext::cancel_timer() { r_.timers().cancel(fb_); }
inline bool FbContext::timer_armed() const { return r_.timers().armed(fb_); }
inline const FbType& FbContext::type() const { return r_.type_of(FbIndex{fb_}); }
inline void FbContext::fault(const char* what, const std::string& where) { r_.report_fault(fb_, what, where); }
inline void FbContext::end_test() { r_.report_test_end(fb_); }

}  // namespace plc
