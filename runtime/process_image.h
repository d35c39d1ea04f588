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
//
// 4diac's io/ blocks, with 4diac's interfaces: QX, QB, QW, QD, QL (OUT of
// BOOL, BYTE, WORD, DWORD, LWORD) and IX, IB, IW, ID, IL (IN of the same).
// The address is PARAMS. As in FORTE (src/stdfblib/io): INIT with QI TRUE
// starts the service (QO TRUE, STATUS 'OK'; an empty PARAMS: QO FALSE,
// STATUS 'PARAMS names no address'), INIT with QI FALSE ends it (QO FALSE);
// every REQ sets QO := QI and emits CNF, and does its work only when QI is
// TRUE and the service runs (else QO FALSE, STATUS 'not initialized').
//   Q*  REQ hands (PARAMS, OUT) to ResourceObserver::on_io_write, with
//       OUT's type: the BEAM host sends {plc_io, Fb, Address, Value}.
//   I*  the host writes the value (write_input); REQ copies it to IN (CNF
//       WITH QO, STATUS, IN). IX, the only one with an IND, indicates a
//       write when the service runs and QI is TRUE: IN := value, IND.
// Differences from FORTE, on purpose: FORTE finds an I/O point by the
// block's instance name through its I/O mapper and reads hardware pins;
// here the point is PARAMS and the value is the host's. FORTE's STATUS
// texts for mapping errors (wrong direction or type) do not arise.
#pragma once

#include <optional>
#include <string_view>

#include "runtime/resource.h"
#include "runtime/type_library.h"

namespace plc {

void add_process_image_blocks(TypeLibrary& lib);

// The input point of `r` whose address is `address` (after START), if
// any: a MIO_IN whose ADDR, or an IX/IB/IW/ID/IL whose PARAMS, it is.
std::optional<FbIndex> find_input_point(const Resource& r, std::string_view address);

// The type of an input point's value (its IN): BOOL, BYTE, WORD, ...
DataType input_point_type(const Resource& r, FbIndex fb);

// Sets an input point's value from outside the resource: posted to its
// inbox, so it may be called from any thread; false when `fb` is not an
// input point or the inbox refused it. `value` is of input_point_type.
bool write_input(Resource& r, FbIndex fb, Value value);

}  // namespace plc
