// The process image (IEC 61131-3 I/O, IEC 61499-1 service interface FBs):
// MIO_OUT and MIO_IN connect an application to the outside world through
// the host, not through hardware drivers. The BEAM integration turns writes
// into Erlang messages and Erlang calls into input changes; `plc run`
// prints writes.
//
// MIO_OUT  EVENT_INPUT INIT WITH ADDR; REQ WITH ADDR, OUT.  EVENT_OUTPUT INITO WITH QO; CNF WITH QO.
//          VAR_INPUT ADDR : STRING[32]; OUT : BOOL.  VAR_OUTPUT QO : BOOL.
//          REQ hands (ADDR, OUT) to ResourceObserver::on_io_write and emits
//          CNF; QO is TRUE when ADDR is not empty (INIT only checks that).
// MIO_IN   EVENT_INPUT INIT WITH ADDR; REQ.  EVENT_OUTPUT INITO WITH QO;
//          CNF WITH QO, IN; IND WITH QO, IN.
//          VAR_INPUT ADDR : STRING[32].  VAR_OUTPUT QO : BOOL; IN : BOOL.
//          REQ polls: CNF with the current IN. A value written from
//          outside (write_input, from any thread) arrives through the
//          resource's inbox in order, sets IN and emits IND.
#pragma once

#include <optional>
#include <string_view>

#include "runtime/resource.h"
#include "runtime/type_library.h"

namespace plc {

void add_process_image_blocks(TypeLibrary& lib);

// The MIO_IN instance of `r` whose ADDR is `address` (after START), if any.
std::optional<FbIndex> find_input_point(const Resource& r, std::string_view address);

// Sets a MIO_IN's IN from outside the resource: posted to its inbox, so it
// may be called from any thread; false when `fb` is not a MIO_IN or the
// inbox refused it.
bool write_input(Resource& r, FbIndex fb, bool value);

}  // namespace plc
