// ST written the way a ported IEC 61131-3 library (OSCAT style) writes it:
// FUNCTIONs calling each other, FUNCTION_BLOCKs holding TON and R_TRIG
// instances with a VAR_IN_OUT, an enumerated state, constants and bit
// access, all in one file, run on the virtual clock.
#include "tests/language_support.h"

using namespace plc;
using namespace plc::test;
using namespace std::chrono_literals;

namespace {

const std::string kLibrary = R"(
TYPE PumpState : (Idle, Starting, Running, Fault); END_TYPE

FUNCTION Clamp : INT
VAR_INPUT X, Lo, Hi : INT; END_VAR
Clamp := MIN(MAX(X, Lo), Hi);
END_FUNCTION

FUNCTION Percent : INT
VAR_INPUT Part, Whole : INT; END_VAR
IF Whole = 0 THEN Percent := 0; RETURN; END_IF;
Percent := Clamp(X := DINT_TO_INT(INT_TO_DINT(Part) * 100 / INT_TO_DINT(Whole)), Lo := 0, Hi := 100);
END_FUNCTION

FUNCTION_BLOCK Pump
VAR_INPUT Start : BOOL; Feedback : BOOL; END_VAR
VAR_OUTPUT State : PumpState; Motor : BOOL; END_VAR
VAR_IN_OUT Starts : INT; END_VAR
VAR CONSTANT SpinUp : TIME := T#2s; END_VAR
VAR Go : R_TRIG; Spin : TON; END_VAR
Go(CLK := Start);
CASE State OF
  Idle:
    IF Go.Q THEN State := Starting; Starts := Starts + 1; END_IF;
  Starting:
    Spin(IN := TRUE, PT := SpinUp);
    IF Feedback THEN State := Running; Spin(IN := FALSE);
    ELSIF Spin.Q THEN State := Fault; Spin(IN := FALSE); END_IF;
  Running:
    IF NOT Start THEN State := Idle; END_IF;
  Fault:
    IF NOT Start THEN State := Idle; END_IF;
END_CASE;
Motor := State = Starting OR State = Running;
END_FUNCTION_BLOCK

FUNCTION_BLOCK Station
EVENT_INPUT REQ WITH Cmd, Fb; END_EVENT
EVENT_OUTPUT CNF WITH Status, Load; END_EVENT
VAR_INPUT Cmd : BYTE; Fb : BOOL; END_VAR
VAR_OUTPUT Status : WORD; Load : INT; END_VAR
VAR CONSTANT Pumps : INT := 2; END_VAR
VAR P1, P2 : Pump; Starts : ARRAY[1..Pumps] OF INT; END_VAR
EC_STATES S0; S1 : Run -> CNF; END_STATES
EC_TRANSITIONS S0 TO S1 := REQ; S1 TO S0 := 1; END_TRANSITIONS
ALGORITHM Run IN ST:
P1(Start := Cmd.0, Feedback := Fb, Starts := Starts[1]);
P2(Cmd.%X1, FALSE, Starts[2]);
Status.0 := P1.Motor;
Status.1 := P2.Motor;
Status.8 := P1.State = Fault OR P2.State = PumpState#Fault;
Load := Percent(BOOL_TO_INT(P1.Motor) + BOOL_TO_INT(P2.Motor), Pumps);
END_ALGORITHM
END_FUNCTION_BLOCK
)";

}  // namespace

TEST_CASE("a ported library of functions, FBs with timers, enums and bit access runs", "[st][porting]") {
  TypeLibrary lib = compiled(kLibrary);
  Rig rig({{{"S", "Station", {}, ""}}, {}, {}}, {}, lib);
  auto req = [&](uint64_t cmd, bool fb) {
    rig.var("S", "Cmd") = Value::of_uint(cmd);
    rig.var("S", "Fb") = Value::of_bool(fb);
    rig.fire("S", "REQ");
  };
  auto status = [&] { return rig.var("S", "Status").u; };
  auto load = [&] { return rig.var("S", "Load").i; };
  req(0b11, false);  // both pumps start
  CHECK(status() == 0b11);
  CHECK(load() == 100);
  rig.clock.advance(1s);
  req(0b11, true);  // P1 reports running (its spin-up timer started and stopped); P2's starts now
  CHECK(rig.var("S", "P1.State").i == 2);  // Running
  CHECK(rig.var("S", "P2.State").i == 1);  // Starting
  rig.clock.advance(1999ms);
  req(0b11, false);
  CHECK(rig.var("S", "P2.State").i == 1);
  rig.clock.advance(1ms);
  req(0b11, false);  // P2's spin-up of 2 s runs out without feedback: Fault
  CHECK(rig.var("S", "P2.State").i == 3);
  CHECK(status() == 0x101);  // bit 0: P1 runs; bit 8: a fault
  CHECK(load() == 50);
  req(0b01, false);  // P2's start drops: back to Idle
  CHECK(status() == 0b01);
  req(0b11, false);  // and it starts again: its second start
  CHECK(status() == 0b11);
  const auto& iface = rig.res->type_of(rig.fb("S")).iface;
  const Value* starts = rig.res->vars(rig.fb("S")) + iface.internal_slot(*iface.find_internal("Starts"));
  CHECK(starts[0].i == 1);
  CHECK(starts[1].i == 2);
}
