// Management function blocks (IEC 61499-1 6.3, device management: the
// commands a manager gives a resource, as FBs an application uses; 4diac's
// reconfiguration/ library): ST_CREATE_FB, ST_DEL_FB, ST_CREATE_CONN,
// ST_DEL_CONN, ST_REC_CONN, ST_SET_PARM, EC_START_ELEM, EC_STOP_ELEM,
// EC_KILL_ELEM and EC_SET_EVT, with 4diac's interfaces: REQ with QI and the
// command's WSTRING inputs (DST names the resource), CNF with QO and
// STATUS.
//
// As in FORTE (src/modules/reconfiguration): REQ without QI answers at
// once, QO FALSE and STATUS 'Not Ready'; with QI the command runs and CNF
// carries its response: STATUS is the response's text as the management
// protocol gives it ('RDY', 'NO_SUCH_OBJECT', 'INVALID_STATE', ...) and QO
// is TRUE for 'RDY'. ST_REC_CONN deletes the old connection and, if that
// worked, creates the new one.
//
// Where plc differs from FORTE on purpose: FORTE runs the command inside
// REQ, in the middle of the block's own event chain; here the block hands
// it to its host (ResourceObserver::on_management; the BEAM host's device
// model, plc_mgmt_device, runs it as it runs the protocol's commands) and
// CNF follows when the host answers (management_answer()), so a command
// that changes the block's own resource does not change it under the
// running event. Without a host that manages devices the answer is
// 'UNSUPPORTED_CMD'. The internal BOOL `$pending' is TRUE from the
// command's handing over to its answer: a host told of a command by a
// message that could be forged checks it first.
#pragma once

#include <optional>
#include <string_view>

#include "runtime/resource.h"
#include "runtime/type_library.h"

namespace plc::stdfb {

// Whether `t` is one of the management blocks.
bool is_management_block(const FbType& t);

// The inbox event that gives management block `fb` its host's answer:
// `response` is the response's text ('RDY', 'NO_SUCH_OBJECT', ...).
// nullopt when `fb` is no management block or the text no response.
std::optional<InboxEvent> management_answer(const Resource& r, FbIndex fb, std::string_view response);

void add_management_blocks(TypeLibrary& lib);

}  // namespace plc::stdfb
