// 4diac FB types (.fbt), adapter types (.adp) and data types (.dtp) read
// into the language and run: one TEST_CASE per element kind.
#include <catch2/catch.hpp>

#include "runtime/fourdiac/var_declaration.h"
#include "tests/fourdiac_support.h"

using namespace plc;
using namespace plc::test;

namespace {

const char* kCounter = R"(<EventInputs>
  <Event Name="CU" Type="Event"><With Var="PV"/></Event>
  <Event Name="R" Type="Event"/>
</EventInputs>
<EventOutputs>
  <Event Name="CUO" Type="Event"><With Var="Q"/><With Var="CV"/></Event>
  <Event Name="RO" Type="Event"><With Var="Q"/><With Var="CV"/></Event>
</EventOutputs>
<InputVars><VarDeclaration Name="PV" Type="UINT"/></InputVars>
<OutputVars><VarDeclaration Name="Q" Type="BOOL"/><VarDeclaration Name="CV" Type="UINT"/></OutputVars>
)";

// A counter written as 4diac writes E_CTU, with `step` added per count.
std::string counter_body(const std::string& step) {
  return R"(<BasicFB>
  <InternalVars><VarDeclaration Name="Counts" Type="UDINT" InitialValue="100"/></InternalVars>
  <ECC>
    <ECState Name="START" Comment="Initial State"/>
    <ECState Name="CU"><ECAction Algorithm="CU" Output="CUO"/></ECState>
    <ECState Name="R"><ECAction Algorithm="R" Output="RO"/></ECState>
    <ECTransition Source="START" Destination="CU" Condition="CU[CV &lt; 3]"/>
    <ECTransition Source="CU" Destination="START" Condition="1"/>
    <ECTransition Source="START" Destination="R" Condition="R"/>
    <ECTransition Source="R" Destination="START" Condition="1"/>
  </ECC>
  <Algorithm Name="R"><ST Text="CV := 0;&#10;Q := FALSE;"/></Algorithm>
  <Algorithm Name="CU"><ST><![CDATA[

ALGORITHM CU
CV := CV + )" +
         step + R"(;
Counts := Counts + 1;
Q  := (CV >= PV);
END_ALGORITHM
]]></ST></Algorithm>
</BasicFB>
)";
}

Rig rig_of(FourdiacFolder& f, FbNetwork net) { return Rig(net, {}, f.lib); }

}  // namespace

TEST_CASE("an InterfaceList becomes the interface: events with WITH, typed variables, array sizes, initial values",
          "[fourdiac][fbt]") {
  FourdiacFolder f;
  f.write(
      "T.fbt",
      fbt("T", R"(<EventInputs>
  <Event Name="REQ" Type="Event"><With Var="A"/><With Var="B"/></Event>
  <Event Name="R" Type="Event"/>
</EventInputs>
<EventOutputs><Event Name="CNF" Type="Event"><With Var="Q"/></Event></EventOutputs>
<InputVars>
  <VarDeclaration Name="A" Type="INT" InitialValue="5" Comment="a"/>
  <VarDeclaration Name="B" Type="UINT" ArraySize="3" InitialValue="[1, 2, 3]"/>
  <VarDeclaration Name="C" Type="UINT" ArraySize="[1..2]"/>
  <VarDeclaration Name="S" Type="STRING[10]" InitialValue="'ab'"/>
</InputVars>
<OutputVars><VarDeclaration Name="Q" Type="BOOL"/></OutputVars>
)",
          R"(<SimpleFB><Algorithm Name="REQ"><ST><![CDATA[Q := A > 4 AND B[2] = 3 AND C[2] = 0;]]></ST></Algorithm></SimpleFB>
)"));
  REQUIRE(f.require("T"));
  const FbType* t = f.lib.find("T");
  REQUIRE(t);
  const Interface& i = t->iface;
  REQUIRE(i.event_inputs.size() == 2);
  CHECK(i.event_inputs[0].with == std::vector<uint16_t>{0, 1});
  CHECK(i.event_outputs[0].with == std::vector<uint16_t>{0});
  CHECK(i.inputs[0].type == DataType::kInt);
  CHECK(i.inputs[0].initial.i == 5);
  CHECK(i.inputs[1].array_size == 3);
  CHECK(i.inputs[2].array_size == 2);
  CHECK(i.inputs[2].array_lo == 1);
  CHECK(i.inputs[3].max_length() == 10);
  CHECK(t->comment == "test");
  Rig rig = rig_of(f, {{{"X", "T", {}, ""}}, {}, {}});
  CHECK(rig.fire("X", "REQ") == Events{"X.CNF(Q=TRUE)"});
}

TEST_CASE("a BasicFB runs its ECC: states, actions, guarded and unconditional transitions, ST algorithms",
          "[fourdiac][fbt][BasicFB]") {
  FourdiacFolder f;
  f.write("lib/COUNTER.fbt", fbt("COUNTER", kCounter, counter_body("1")));
  REQUIRE(f.require("COUNTER"));
  Rig rig = rig_of(f, {{{"C", "COUNTER", {{"PV", "2"}}, ""}}, {}, {}});
  CHECK(rig.fire("C", "CU") == Events{"C.CUO(Q=FALSE,CV=1)"});
  CHECK(rig.fire("C", "CU") == Events{"C.CUO(Q=TRUE,CV=2)"});
  CHECK(rig.fire("C", "CU") == Events{"C.CUO(Q=TRUE,CV=3)"});
  CHECK(rig.fire("C", "CU") == Events{});  // the guard CV < 3 holds it
  CHECK(rig.var("C", "Counts").u == 103);  // the internal variable and its initial value
  CHECK(rig.fire("C", "R") == Events{"C.RO(Q=FALSE,CV=0)"});
}

TEST_CASE("ECC conditions are read as 4diac writes them: 1, EI, EI[guard], EI AND guard", "[fourdiac][fbt][ECC]") {
  FourdiacFolder f;
  f.write("SIGN.fbt", fbt("SIGN", R"(<EventInputs><Event Name="EI"><With Var="X"/></Event></EventInputs>
<EventOutputs><Event Name="POS"/><Event Name="NEG"/><Event Name="ZERO"/></EventOutputs>
<InputVars><VarDeclaration Name="X" Type="INT"/></InputVars>
)",
                          R"(<BasicFB><ECC>
  <ECState Name="START"/>
  <ECState Name="P"><ECAction Output="POS"/></ECState>
  <ECState Name="N"><ECAction Output="NEG"/></ECState>
  <ECState Name="Z"><ECAction Output="ZERO"/></ECState>
  <ECTransition Source="START" Destination="P" Condition="EI[X &gt; 0]"/>
  <ECTransition Source="START" Destination="N" Condition="EI AND X &lt; 0"/>
  <ECTransition Source="START" Destination="Z" Condition="EI"/>
  <ECTransition Source="P" Destination="START" Condition="1"/>
  <ECTransition Source="N" Destination="START" Condition="TRUE"/>
  <ECTransition Source="Z" Destination="START" Condition="1"/>
</ECC></BasicFB>
)"));
  REQUIRE(f.require("SIGN"));
  Rig rig = rig_of(f, {{{"S", "SIGN", {}, ""}}, {}, {}});
  rig.var("S", "X").i = 4;
  CHECK(rig.fire("S", "EI") == Events{"S.POS"});
  rig.var("S", "X").i = -4;
  CHECK(rig.fire("S", "EI") == Events{"S.NEG"});
  rig.var("S", "X").i = 0;
  CHECK(rig.fire("S", "EI") == Events{"S.ZERO"});
}

TEST_CASE("a SimpleFB runs the algorithm named after the event, then sends its output", "[fourdiac][fbt][SimpleFB]") {
  FourdiacFolder f;
  f.write("I2U.fbt", fbt("I2U", req_cnf("INT"), R"(<SimpleFB>
  <InternalVars><VarDeclaration Name="Calls" Type="INT"/></InternalVars>
  <Algorithm Name="REQ" Comment=""><ST><![CDATA[ALGORITHM REQ
VAR_TEMP
  T : DINT;
END_VAR
  T := IN * 2;
  Calls := Calls + 1;
  OUT := DINT_TO_INT(T);
END_ALGORITHM]]></ST></Algorithm>
</SimpleFB>
)"));
  REQUIRE(f.require("I2U"));
  Rig rig = rig_of(f, {{{"X", "I2U", {{"IN", "21"}}, ""}}, {}, {}});
  CHECK(rig.fire("X", "REQ") == Events{"X.CNF(OUT=42)"});
  CHECK(rig.var("X", "Calls").i == 1);
}

TEST_CASE("a composite FBNetwork is flattened: inner FBs, parameters, connections through its boundary",
          "[fourdiac][fbt][composite]") {
  FourdiacFolder f;
  f.write("DOUBLE.fbt", simple_fb("DOUBLE", "INT", "OUT := IN * 2;"));
  f.write("QUAD.fbt", fbt("QUAD", req_cnf("INT"), R"(<FBNetwork>
  <FB Name="A" Type="DOUBLE"/>
  <FB Name="B" Type="DOUBLE"/>
  <FB Name="Count" Type="E_CTU"><Parameter Name="PV" Value="2"/></FB>
  <EventConnections>
    <Connection Source="REQ" Destination="A.REQ"/>
    <Connection Source="A.CNF" Destination="B.REQ"/>
    <Connection Source="B.CNF" Destination="CNF"/>
    <Connection Source="B.CNF" Destination="Count.CU"/>
  </EventConnections>
  <DataConnections>
    <Connection Source="IN" Destination="A.IN"/>
    <Connection Source="A.OUT" Destination="B.IN"/>
    <Connection Source="B.OUT" Destination="OUT"/>
  </DataConnections>
</FBNetwork>
)"));
  REQUIRE(f.require("QUAD"));
  Rig rig = rig_of(f, {{{"S", "E_SPLIT", {}, ""}, {"Q", "QUAD", {{"IN", "3"}}, ""}}, {{"S.EO1", "Q.REQ", ""}}, {}});
  CHECK(rig.fire("S", "EI") ==
        Events{"S.EO1", "S.EO2", "Q.A.CNF(OUT=6)", "Q.B.CNF(OUT=12)", "Q.Count.CUO(Q=FALSE,CV=1)"});
}

TEST_CASE("a standard block that 4diac ships as a BasicFB keeps plc's native behaviour, checked as a service interface",
          "[fourdiac][fbt][service]") {
  SECTION("the same interface: the native block runs, not the file's ECC") {
    FourdiacFolder f;
    f.write("E_CTU.fbt", fbt("E_CTU", kCounter, counter_body("10")));
    REQUIRE(f.require("E_CTU"));
    Rig rig = rig_of(f, {{{"C", "E_CTU", {{"PV", "1"}}, ""}}, {}, {}});
    CHECK(rig.fire("C", "CU") == Events{"C.CUO(Q=TRUE,CV=1)"});
  }
  SECTION("another interface is refused") {
    FourdiacFolder f;
    std::string iface = kCounter;
    iface.replace(iface.find("\"PV\" Type=\"UINT\""), 16, "\"PV\" Type=\"INT\"");
    f.write("E_CTU.fbt", fbt("E_CTU", iface, counter_body("1")));
    CHECK_FALSE(f.require("E_CTU"));
    CHECK_THAT(f.report(),
               Catch::Contains("E_CTU.fbt:") && Catch::Contains("'PV : UINT' in the native type, not 'PV : INT'"));
  }
}

TEST_CASE("a Service declares a service interface type, which plc must implement natively",
          "[fourdiac][fbt][service]") {
  const char* service = R"(<Service RightInterface="RESOURCE" LeftInterface="APPLICATION">
  <ServiceSequence Name="normal"><ServiceTransaction>
    <InputPrimitive Interface="APPLICATION" Event="START" Parameters="DT"/>
    <OutputPrimitive Interface="APPLICATION" Event="EO"/>
  </ServiceTransaction></ServiceSequence>
</Service>
)";
  const char* iface = R"(<EventInputs><Event Name="START"><With Var="DT"/></Event><Event Name="STOP"/></EventInputs>
<EventOutputs><Event Name="EO"/></EventOutputs>
<InputVars><VarDeclaration Name="DT" Type="TIME"/></InputVars>
)";
  FourdiacFolder f;
  f.write("E_DELAY.fbt", fbt("E_DELAY", iface, service));
  f.write("MY_TIMER.fbt", fbt("MY_TIMER", iface, service));
  CHECK(f.require("E_DELAY"));
  CHECK_FALSE(f.require("MY_TIMER"));
  CHECK_THAT(
      f.report(),
      Catch::Contains("MY_TIMER.fbt:2:15: error: service interface type 'MY_TIMER' has no native implementation"));
}

TEST_CASE("a structured data type (.dtp) is a STRUCT with its members' types and initial values", "[fourdiac][dtp]") {
  FourdiacFolder f;
  f.write("types/structtype.dtp", R"(<?xml version="1.0" encoding="UTF-8"?>
<DataType Name="structtype" Comment="four variables">
  <StructuredType>
    <VarDeclaration Name="VAR1" Type="BOOL" InitialValue="true"/>
    <VarDeclaration Name="VAR2" Type="INT" InitialValue="INT#-5"/>
    <VarDeclaration Name="VAR3" Type="UINT" InitialValue="UINT#17"/>
    <VarDeclaration Name="VAR4" Type="WORD" InitialValue="16#AFFE"/>
  </StructuredType>
</DataType>
)");
  f.write("READ.fbt", fbt("READ", R"(<EventInputs><Event Name="REQ"/></EventInputs>
<EventOutputs><Event Name="CNF"><With Var="OUT"/></Event></EventOutputs>
<OutputVars><VarDeclaration Name="OUT" Type="INT"/></OutputVars>
)",
                          R"(<SimpleFB>
  <InternalVars><VarDeclaration Name="S" Type="pkg::structtype"/></InternalVars>
  <Algorithm Name="REQ"><ST Text="IF S.VAR1 AND S.VAR4 = 16#AFFE THEN OUT := S.VAR2 + UINT_TO_INT(S.VAR3); END_IF;"/></Algorithm>
</SimpleFB>
)"));
  REQUIRE(f.require("READ"));
  CHECK(f.scope.find("structtype"));
  Rig rig = rig_of(f, {{{"X", "READ", {}, ""}}, {}, {}});
  CHECK(rig.fire("X", "REQ") == Events{"X.CNF(OUT=12)"});
}

TEST_CASE("generic 4diac types take the widest type of their class; narrower typed literals widen into them",
          "[fourdiac][fbt][generic]") {
  FourdiacFolder f;
  f.write("GENERIC_ADD.fbt",
          fbt("GENERIC_ADD", R"(<EventInputs><Event Name="REQ"><With Var="IN1"/><With Var="IN2"/></Event></EventInputs>
<EventOutputs><Event Name="CNF"><With Var="OUT"/></Event></EventOutputs>
<InputVars>
  <VarDeclaration Name="IN1" Type="ANY_MAGNITUDE"/>
  <VarDeclaration Name="IN2" Type="ANY_NUM" InitialValue="INT#1"/>
</InputVars>
<OutputVars><VarDeclaration Name="OUT" Type="ANY_MAGNITUDE"/></OutputVars>
)",
              R"(<SimpleFB><Algorithm Name="REQ"><ST><![CDATA[OUT := IN1 + IN2;]]></ST></Algorithm></SimpleFB>
)"));
  REQUIRE(f.require("GENERIC_ADD"));
  const Interface& i = f.lib.find("GENERIC_ADD")->iface;
  CHECK(i.inputs[0].type == DataType::kLreal);
  CHECK(i.inputs[1].initial.r == 1.0);
  CHECK(fourdiac::adapt_literal(DataType::kLreal, "INT#5") == "5");
  CHECK(fourdiac::adapt_literal(DataType::kInt, "USINT#5") == "5");
  CHECK(fourdiac::adapt_literal(DataType::kUint, "INT#5") == "INT#5");  // not implicit: left for the checker
  CHECK(default_type(*parse_generic_class("ANY_BIT")) == DataType::kLword);
  Rig rig = rig_of(f, {{{"A", "GENERIC_ADD", {{"IN1", "1.5"}, {"IN2", "2"}}, ""}}, {}, {}});
  CHECK(rig.fire("A", "REQ") == Events{"A.CNF(OUT=3.5)"});
}

TEST_CASE("adapters: plug and socket become ports of their FBs, an AdapterConnection the bundle of connections",
          "[fourdiac][adp][adapter]") {
  FourdiacFolder f;
  // REQ (with DI) travels socket -> plug, CNF (with RES) plug -> socket.
  f.write("A.adp", R"(<?xml version="1.0" encoding="UTF-8"?>
<AdapterType Name="A" Comment="adapter">
  <CompilerInfo header="package fb.test;"/>
  <InterfaceList>
    <EventInputs><Event Name="REQ"><With Var="DI"/></Event></EventInputs>
    <EventOutputs><Event Name="CNF"><With Var="RES"/></Event></EventOutputs>
    <InputVars><VarDeclaration Name="DI" Type="INT" InitialValue="42"/></InputVars>
    <OutputVars><VarDeclaration Name="RES" Type="INT"/></OutputVars>
  </InterfaceList>
  <Service RightInterface="SOCKET" LeftInterface="PLUG"/>
</AdapterType>
)");
  // The socket side asks with IN and answers CNF with what came back.
  f.write("ASK.fbt", fbt("ASK", req_cnf("INT") + "<Sockets><AdapterDeclaration Name=\"adp\" Type=\"A\"/></Sockets>\n",
                         R"(<BasicFB><ECC>
  <ECState Name="START"/>
  <ECState Name="Ask"><ECAction Algorithm="ask" Output="adp.REQ"/></ECState>
  <ECState Name="Got"><ECAction Algorithm="got" Output="CNF"/></ECState>
  <ECTransition Source="START" Destination="Ask" Condition="REQ"/>
  <ECTransition Source="Ask" Destination="START" Condition="1"/>
  <ECTransition Source="START" Destination="Got" Condition="adp.CNF[adp.RES &gt; 0]"/>
  <ECTransition Source="Got" Destination="START" Condition="1"/>
</ECC>
<Algorithm Name="ask"><ST><![CDATA[adp.DI := IN;]]></ST></Algorithm>
<Algorithm Name="got"><ST><![CDATA[OUT := adp.RES;]]></ST></Algorithm>
</BasicFB>
)"));
  // The plug side answers with DI + 1.
  f.write("ANSWER.fbt", fbt("ANSWER", "<Plugs><AdapterDeclaration Name=\"adp\" Type=\"fb::test::A\"/></Plugs>\n",
                            R"(<BasicFB><ECC>
  <ECState Name="START"/>
  <ECState Name="Answer"><ECAction Algorithm="answer" Output="adp.CNF"/></ECState>
  <ECTransition Source="START" Destination="Answer" Condition="adp.REQ"/>
  <ECTransition Source="Answer" Destination="START" Condition="1"/>
</ECC>
<Algorithm Name="answer"><ST><![CDATA[adp.RES := adp.DI + 1;]]></ST></Algorithm>
</BasicFB>
)"));
  // A composite passing its own socket on to an inner socket: seen from
  // inside, the composite's socket acts as a plug.
  f.write("WRAP.fbt",
          fbt("WRAP", req_cnf("INT") + "<Sockets><AdapterDeclaration Name=\"outer\" Type=\"A\"/></Sockets>\n",
              R"(<FBNetwork>
  <FB Name="Inner" Type="ASK"/>
  <EventConnections>
    <Connection Source="REQ" Destination="Inner.REQ"/>
    <Connection Source="Inner.CNF" Destination="CNF"/>
  </EventConnections>
  <DataConnections>
    <Connection Source="IN" Destination="Inner.IN"/>
    <Connection Source="Inner.OUT" Destination="OUT"/>
  </DataConnections>
  <AdapterConnections><Connection Source="outer" Destination="Inner.adp"/></AdapterConnections>
</FBNetwork>
)"));
  f.write("PAIR.fbt", fbt("PAIR", req_cnf("INT"), R"(<FBNetwork>
  <FB Name="S" Type="WRAP"/>
  <FB Name="P" Type="ANSWER"/>
  <EventConnections>
    <Connection Source="REQ" Destination="S.REQ"/>
    <Connection Source="S.CNF" Destination="CNF"/>
  </EventConnections>
  <DataConnections>
    <Connection Source="IN" Destination="S.IN"/>
    <Connection Source="S.OUT" Destination="OUT"/>
  </DataConnections>
  <AdapterConnections><Connection Source="P.adp" Destination="S.outer"/></AdapterConnections>
</FBNetwork>
)"));
  const bool loaded = f.require("PAIR");
  INFO(f.report());
  REQUIRE(loaded);
  const Interface& ask = f.lib.find("ASK")->iface;
  CHECK(ask.find_event_output("adp$REQ"));  // a socket sends the adapter's inputs
  CHECK(ask.find_event_input("adp$CNF"));
  CHECK(ask.find_output("adp$DI"));
  CHECK(ask.outputs[*ask.find_output("adp$DI")].initial.i == 42);
  const Interface& answer = f.lib.find("ANSWER")->iface;
  CHECK(answer.find_event_input("adp$REQ"));  // a plug receives them
  CHECK(answer.find_event_output("adp$CNF"));
  Rig rig = rig_of(f, {{{"T", "E_SPLIT", {}, ""}, {"X", "PAIR", {{"IN", "7"}}, ""}}, {{"T.EO1", "X.REQ", ""}}, {}});
  CHECK(rig.fire("T", "EI") ==
        Events{"T.EO1", "T.EO2", "X.S.Inner.adp$REQ(adp$DI=7)", "X.P.adp$CNF(adp$RES=8)", "X.S.Inner.CNF(OUT=8)"});
}

TEST_CASE("an adapter connection must join a plug and a socket of the same adapter type", "[fourdiac][adapter]") {
  FourdiacFolder f;
  f.write(
      "A.adp",
      R"(<AdapterType Name="A"><InterfaceList><EventInputs><Event Name="REQ"/></EventInputs></InterfaceList></AdapterType>)");
  f.write(
      "B.adp",
      R"(<AdapterType Name="B"><InterfaceList><EventInputs><Event Name="REQ"/></EventInputs></InterfaceList></AdapterType>)");
  f.write("PA.fbt", fbt("PA", "<Plugs><AdapterDeclaration Name=\"adp\" Type=\"A\"/></Plugs>",
                        "<BasicFB><ECC><ECState Name=\"START\"/></ECC></BasicFB>"));
  f.write("PB.fbt", fbt("PB", "<Plugs><AdapterDeclaration Name=\"adp\" Type=\"B\"/></Plugs>",
                        "<BasicFB><ECC><ECState Name=\"START\"/></ECC></BasicFB>"));
  f.write("NET.fbt", fbt("NET", "", R"(<FBNetwork>
  <FB Name="X" Type="PA"/><FB Name="Y" Type="PA"/><FB Name="Z" Type="PB"/>
  <AdapterConnections>
    <Connection Source="X.adp" Destination="Y.adp"/>
    <Connection Source="X.adp" Destination="Z.adp"/>
    <Connection Source="X.nope" Destination="Z.adp"/>
  </AdapterConnections>
</FBNetwork>
)"));
  CHECK_FALSE(f.require("NET"));
  const std::string r = f.report();
  CHECK_THAT(r, Catch::Contains("NET.fbt:8:5: error: in FBType NET/FBNetwork/AdapterConnections/Connection "
                                "X.adp->Y.adp: both ends are plugs"));
  CHECK_THAT(
      r, Catch::Contains("NET.fbt:9:5: error:") && Catch::Contains("the adapter types differ: X.adp is A, Z.adp is B"));
  CHECK_THAT(r, Catch::Contains("NET.fbt:10:5: error:") && Catch::Contains("'nope' is no plug or socket of 'X' (PA)"));
}

TEST_CASE("what plc cannot run is reported where it is written", "[fourdiac][fbt][unsupported]") {
  FourdiacFolder f;
  f.write("IO.fbt", fbt("IO", "<InOutVars><VarDeclaration Name=\"X\" Type=\"INT\"/></InOutVars>", "<SimpleFB/>"));
  f.write("LD.fbt",
          fbt("LD", req_cnf("BOOL"),
              "<SimpleFB><Algorithm Name=\"REQ\"><Other Language=\"LD\" Text=\"...\"/></Algorithm></SimpleFB>"));
  f.write("E.dtp", R"(<DataType Name="E"><EnumeratedType><EnumeratedValue Name="A"/></EnumeratedType></DataType>)");
  f.write("USE_E.fbt", fbt("USE_E", "<InputVars><VarDeclaration Name=\"X\" Type=\"E\"/></InputVars>", ""));
  CHECK_FALSE(f.require("IO"));
  CHECK_FALSE(f.require("LD"));
  CHECK_FALSE(f.require("USE_E"));
  const std::string r = f.report();
  CHECK_THAT(
      r,
      Catch::Contains(
          "IO.fbt:4:1: error: in FBType IO/InterfaceList/InOutVars: in-out variables (VAR_IN_OUT) are not supported"));
  CHECK_THAT(r, Catch::Contains("LD.fbt:9:11: error: in FBType LD/SimpleFB/Algorithm REQ: algorithm 'REQ': only ST "
                                "algorithms are supported, not Other LD"));
  CHECK_THAT(
      r, Catch::Contains(
             "E.dtp:1:20: error: in DataType E/EnumeratedType: data types of kind EnumeratedType are not supported"));
}

TEST_CASE("older 4diac algorithms declare temporaries with VAR, and plc's declaration words are names in ST",
          "[fourdiac][fbt][st]") {
  // 4diac's interface allows SERVICE, DEVICE, TYPE, ... as variable names;
  // so does the ST of its algorithms.
  FourdiacFolder f;
  f.write("T.fbt", fbt("T",
                       "<EventInputs><Event Name=\"REQ\"><With Var=\"SERVICE\"/><With Var=\"TYPE\"/></Event>"
                       "</EventInputs>\n<EventOutputs><Event Name=\"CNF\"><With Var=\"DEVICE\"/></Event>"
                       "</EventOutputs>\n<InputVars><VarDeclaration Name=\"SERVICE\" Type=\"INT\"/>"
                       "<VarDeclaration Name=\"TYPE\" Type=\"INT\"/></InputVars>\n"
                       "<OutputVars><VarDeclaration Name=\"DEVICE\" Type=\"INT\"/></OutputVars>\n",
                       "<SimpleFB><Algorithm Name=\"REQ\"><ST><![CDATA[ALGORITHM REQ\n"
                       "VAR\n  MAPPING : INT;\n  SYSTEM : INT := 3;\nEND_VAR\n"
                       "MAPPING := SERVICE * TYPE;\nDEVICE := MAPPING + SYSTEM;\n"
                       "END_ALGORITHM]]></ST></Algorithm></SimpleFB>\n"));
  REQUIRE(f.require("T"));
  INFO(f.report());
  CHECK(f.report().empty());
  Rig rig = rig_of(f, {{{"X", "T", {{"SERVICE", "4"}, {"TYPE", "5"}}, ""}}, {}, {}});
  CHECK(rig.fire("X", "REQ") == Events{"X.CNF(DEVICE=23)"});
  CHECK(rig.fire("X", "REQ") == Events{"X.CNF(DEVICE=23)"});  // VAR temporaries start again each run
}

TEST_CASE("a VAR block after an algorithm's statements is an error", "[fourdiac][fbt][st]") {
  FourdiacFolder f;
  f.write("T.fbt", simple_fb("T", "INT", "OUT := IN;\nVAR x : INT; END_VAR"));
  CHECK_FALSE(f.require("T"));
  CHECK(f.report() == "T.fbt:11:1: error: VAR must come before the algorithm's statements\n");
}

TEST_CASE("flat expressions of hundreds of terms compile and run, in algorithms and in ECC guards",
          "[fourdiac][fbt][st][robustness]") {
  auto chain = [](const std::string& term, const std::string& op, size_t n) {
    std::string s = term;
    for (size_t k = 1; k < n; ++k) s += op + term;
    return s;
  };
  for (size_t terms : {size_t(201), size_t(3000)}) {
    INFO(terms);
    FourdiacFolder f;
    f.write("SUM.fbt", simple_fb("SUM", "DINT", "OUT := " + chain("IN", " + ", terms) + ";"));
    // "CU AND guard": the guard is cut out of the AND chain (a copy of it).
    f.write("COUNTER.fbt", fbt("COUNTER", kCounter, counter_body("1")));
    std::string text;
    REQUIRE(fourdiac::read_file((f.tmp.dir() / "COUNTER.fbt").string(), text));
    text.replace(text.find("CU[CV &lt; 3]"), 13, "CU AND " + chain("CV &lt; 3", " AND ", terms));
    f.write("COUNTER.fbt", text);
    REQUIRE(f.require("SUM"));
    REQUIRE(f.require("COUNTER"));
    INFO(f.report());
    CHECK(f.report().empty());
    Rig rig = rig_of(f, {{{"S", "SUM", {{"IN", "2"}}, ""}, {"C", "COUNTER", {{"PV", "9"}}, ""}}, {}, {}});
    CHECK(rig.fire("S", "REQ") == Events{"S.CNF(OUT=" + std::to_string(2 * terms) + ")"});
    for (int k = 1; k <= 3; ++k) CHECK(rig.fire("C", "CU") == Events{"C.CUO(Q=FALSE,CV=" + std::to_string(k) + ")"});
    CHECK(rig.fire("C", "CU") == Events{});  // CV < 3 no longer holds
  }
}
