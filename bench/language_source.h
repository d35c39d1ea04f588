// A large source file of the textual language, made in memory for the
// compile-speed benchmark: `cells` repetitions of what a real plant
// program has, each with its own type names so nothing collides:
//   - a STRUCT type (a measurement record),
//   - a basic FB PID_<k> (a controller): an ECC of six states with guarded
//     transitions and four algorithms of IF/ELSIF, CASE, FOR, WHILE,
//     REPEAT, arrays, structure members, REAL and integer arithmetic,
//     standard functions and conversions,
//   - a basic FB ALARM_<k> (a limit monitor with a hysteresis),
//   - a composite FB CELL_<k> wiring both to standard blocks (E_CYCLE,
//     E_SPLIT, E_PERMIT, E_CTU),
// and a SYSTEM at the end that runs the first cells on two devices.
// About 150 lines per cell.
#pragma once

#include <string>

namespace plc::bench {

inline std::string controller_fb(const std::string& k) {
  return R"(TYPE
  SAMPLE_)" +
         k + R"( : STRUCT
    value : REAL;
    quality : INT := 192;
    count : DINT;
  END_STRUCT;
END_TYPE

(* PID controller with a filtered input, an output ramp and a history. *)
FUNCTION_BLOCK PID_)" +
         k + R"(
EVENT_INPUT
  INIT WITH KP, KI, KD, LIMIT_HI, LIMIT_LO;
  REQ WITH SP, PV, MODE;
  RESET;
END_EVENT
EVENT_OUTPUT
  INITO WITH READY;
  CNF WITH OUT, ERR, READY;
  ALARM WITH ERR;
END_EVENT
VAR_INPUT
  KP : REAL := 1.5;
  KI : REAL := 0.25;
  KD : REAL := 0.0;
  LIMIT_HI : REAL := 100.0;
  LIMIT_LO : REAL := 0.0;
  SP : REAL;
  PV : REAL;
  MODE : INT := 1;
END_VAR
VAR_OUTPUT
  OUT : REAL;
  ERR : REAL;
  READY : BOOL;
END_VAR
VAR
  integral : REAL;
  last_err : REAL;
  history : ARRAY[0..15] OF REAL;
  head : INT;
  last : SAMPLE_)" +
         k + R"(;
  ticks : DINT;
  state_word : WORD := 16#00F0;
  i : INT;
END_VAR
EC_STATES
  START;
  INIT_DONE : InitAlg -> INITO;
  IDLE;
  CONTROL : ControlAlg -> CNF;
  LIMITED : LimitAlg -> ALARM, -> CNF;
  CLEARED : ResetAlg;
END_STATES
EC_TRANSITIONS
  START TO INIT_DONE := INIT;
  INIT_DONE TO IDLE := 1;
  IDLE TO CONTROL := REQ[MODE > 0];
  IDLE TO CLEARED := RESET;
  CONTROL TO LIMITED := ABS(ERR) > LIMIT_HI - LIMIT_LO;
  CONTROL TO IDLE := 1;
  LIMITED TO IDLE := 1;
  CLEARED TO IDLE := 1;
END_TRANSITIONS
ALGORITHM InitAlg IN ST:
  integral := 0.0;
  last_err := 0.0;
  head := 0;
  FOR i := 0 TO 15 DO
    history[i] := 0.0;
  END_FOR;
  READY := LIMIT_HI > LIMIT_LO AND KP >= 0.0;
  state_word := state_word OR 16#0001;
END_ALGORITHM
ALGORITHM ControlAlg IN ST:
  (* error, integral with anti-windup, derivative, clamped output *)
  ERR := SP - PV;
  CASE MODE OF
    1:
      integral := integral + KI * ERR;
    2, 3:
      integral := integral + KI * ERR * 0.5;
    4..9:
      integral := 0.0;
  ELSE
    integral := integral * 0.9;
  END_CASE;
  IF integral > LIMIT_HI THEN
    integral := LIMIT_HI;
  ELSIF integral < LIMIT_LO THEN
    integral := LIMIT_LO;
  END_IF;
  OUT := KP * ERR + integral + KD * (ERR - last_err);
  OUT := LIMIT(LIMIT_LO, OUT, LIMIT_HI);
  last_err := ERR;
  history[head] := OUT;
  head := (head + 1) MOD 16;
  last.value := PV;
  last.count := last.count + 1;
  ticks := ticks + INT_TO_DINT(MODE) * 2;
END_ALGORITHM
ALGORITHM LimitAlg IN ST:
  (* mean of the history, then a slow approach to it *)
  last_err := 0.0;
  i := 0;
  WHILE i < 16 DO
    last_err := last_err + history[i];
    i := i + 1;
  END_WHILE;
  last_err := last_err / 16.0;
  REPEAT
    OUT := (OUT + last_err) / 2.0;
    i := i - 4;
  UNTIL i <= 0 END_REPEAT;
  IF ABS(OUT - last_err) < 0.001 AND NOT READY THEN
    READY := TRUE;
  END_IF;
  state_word := SHL(state_word, 1) XOR 16#0101;
  last.quality := MAX(0, MIN(255, last.quality - 1));
END_ALGORITHM
ALGORITHM ResetAlg IN ST:
  integral := 0.0;
  OUT := LIMIT_LO;
  ERR := 0.0;
  last.count := 0;
  ticks := 0;
END_ALGORITHM
END_FUNCTION_BLOCK

(* Limit monitor with a hysteresis band; counts its alarms. *)
FUNCTION_BLOCK ALARM_)" +
         k + R"(
EVENT_INPUT
  REQ WITH X, HI, BAND;
END_EVENT
EVENT_OUTPUT
  RAISED WITH ACTIVE, COUNT;
  CLEARED WITH ACTIVE;
END_EVENT
VAR_INPUT
  X : REAL;
  HI : REAL := 80.0;
  BAND : REAL := 2.0;
END_VAR
VAR_OUTPUT
  ACTIVE : BOOL;
  COUNT : UDINT;
END_VAR
EC_STATES
  NORMAL;
  RAISE : RaiseAlg -> RAISED;
  HIGH;
  CLEAR : ClearAlg -> CLEARED;
END_STATES
EC_TRANSITIONS
  NORMAL TO RAISE := REQ[X > HI];
  RAISE TO HIGH := 1;
  HIGH TO CLEAR := REQ[X < HI - BAND];
  CLEAR TO NORMAL := 1;
END_TRANSITIONS
ALGORITHM RaiseAlg IN ST:
  ACTIVE := TRUE;
  COUNT := COUNT + 1;
END_ALGORITHM
ALGORITHM ClearAlg IN ST:
  ACTIVE := FALSE;
END_ALGORITHM
END_FUNCTION_BLOCK

(* One control loop: a cycle drives the controller, its alarms are counted. *)
FUNCTION_BLOCK CELL_)" +
         k + R"(
EVENT_INPUT
  INIT;
  STOP;
END_EVENT
EVENT_OUTPUT
  CNF WITH OUT;
  TRIP;
END_EVENT
VAR_INPUT
  SP : REAL := 50.0;
  PV : REAL;
END_VAR
VAR_OUTPUT
  OUT : REAL;
END_VAR
FBS
  Clock : E_CYCLE := (DT := T#100ms);
  Fan : E_SPLIT;
  Ctl : PID_)" +
         k + R"( := (KP := 2.0, MODE := 1);
  Mon : ALARM_)" +
         k + R"( := (HI := 90.0);
  Gate : E_PERMIT;
  Trips : E_CTU := (PV := 3);
END_FBS
EVENT_CONNECTIONS
  INIT TO Ctl.INIT;
  Ctl.INITO TO Clock.START;
  STOP TO Clock.STOP;
  Clock.EO TO Fan.EI;
  Fan.EO1 TO Ctl.REQ;
  Fan.EO2 TO Gate.EI;
  Ctl.CNF TO Mon.REQ;
  Ctl.CNF TO CNF;
  Ctl.ALARM TO Trips.CU;
  Mon.RAISED TO Trips.CU;
  Trips.CUO TO TRIP;
  Gate.EO TO Ctl.RESET;
END_CONNECTIONS
DATA_CONNECTIONS
  SP TO Ctl.SP;
  PV TO Ctl.PV;
  Ctl.OUT TO Mon.X;
  Ctl.OUT TO OUT;
  Mon.ACTIVE TO Gate.PERMIT;
END_CONNECTIONS
END_FUNCTION_BLOCK

)";
}

// The system at the end: the first `cells` cells of the file on two devices.
inline std::string plant_system(int cells) {
  std::string fbs, map;
  for (int k = 0; k < cells; ++k) {
    const std::string n = std::to_string(k);
    fbs += "  Loop" + n + " : CELL_" + n + " := (SP := " + std::to_string(40 + k) + ".0);\n";
    map += "  Plant.Loop" + n + " ON " + (k % 2 ? "Right" : "Left") + ".Main;\n";
  }
  return "SYSTEM Plant\nAPPLICATION Plant\nFBS\n" + fbs +
         "END_FBS\nEND_APPLICATION\n"
         "DEVICE Left : PLC_DEVICE\n  RESOURCE Main : EMB_RES := (queue_capacity := 256)\n  END_RESOURCE\nEND_DEVICE\n"
         "DEVICE Right : PLC_DEVICE\n  RESOURCE Main : EMB_RES := (queue_capacity := 256)\n  END_RESOURCE\nEND_DEVICE\n"
         "MAPPING\n" +
         map + "END_MAPPING\nEND_SYSTEM\n";
}

// A file of at least `min_lines` lines: whole cells, then the system.
inline std::string plant_source(size_t min_lines) {
  std::string s = "(* generated for bench/language_compile_bench.cc *)\n";
  size_t lines = 1;
  int cells = 0;
  while (lines < min_lines) {
    std::string c = controller_fb(std::to_string(cells++));
    for (char ch : c) lines += ch == '\n';
    s += c;
  }
  return s + plant_system(cells < 8 ? cells : 8);
}

inline size_t count_lines(const std::string& s) {
  size_t n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

}  // namespace plc::bench
