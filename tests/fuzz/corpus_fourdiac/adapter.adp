<?xml version="1.0" encoding="UTF-8"?>
<AdapterType Name="B" Comment="two events each way">
  <InterfaceList>
    <EventInputs><Event Name="REQ"><With Var="D1"/></Event><Event Name="INIT"/></EventInputs>
    <EventOutputs><Event Name="CNF"><With Var="Q"/></Event><Event Name="INITO"/></EventOutputs>
    <InputVars><VarDeclaration Name="D1" Type="DINT" InitialValue="42"/></InputVars>
    <OutputVars><VarDeclaration Name="Q" Type="BOOL" InitialValue="TRUE"/></OutputVars>
  </InterfaceList>
  <Service RightInterface="SOCKET" LeftInterface="PLUG"/>
</AdapterType>
