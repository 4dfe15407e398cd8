<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>dd::EvidenceModel</name>
    <message>
        <location filename="../../ui/evidencemodel.cpp" line="12"/>
        <source>Probe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/evidencemodel.cpp" line="14"/>
        <source>Log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/evidencemodel.cpp" line="16"/>
        <source>Capture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/evidencemodel.cpp" line="18"/>
        <source>Config</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/evidencemodel.cpp" line="20"/>
        <source>Host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/evidencemodel.cpp" line="22"/>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/evidencemodel.cpp" line="154"/>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/evidencemodel.cpp" line="156"/>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/evidencemodel.cpp" line="158"/>
        <source>Node / link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/evidencemodel.cpp" line="160"/>
        <source>Health</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/evidencemodel.cpp" line="162"/>
        <source>Summary</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dd::FindingsModel</name>
    <message>
        <location filename="../../ui/findingsmodel.cpp" line="57"/>
        <source>%1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/findingsmodel.cpp" line="69"/>
        <source>Why: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/findingsmodel.cpp" line="71"/>
        <source>Fix: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/findingsmodel.cpp" line="95"/>
        <source>#</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/findingsmodel.cpp" line="97"/>
        <source>Cause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/findingsmodel.cpp" line="99"/>
        <source>Confidence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/findingsmodel.cpp" line="101"/>
        <source>Hop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/findingsmodel.cpp" line="103"/>
        <source>Fix</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dd::HealthStyle</name>
    <message>
        <location filename="../../ui/healthstyle.cpp" line="41"/>
        <source>OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/healthstyle.cpp" line="43"/>
        <source>Degraded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/healthstyle.cpp" line="45"/>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/healthstyle.cpp" line="49"/>
        <source>Unknown</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dd::LatencyChartPanel</name>
    <message>
        <location filename="../../ui/charts/latencychartpanel.cpp" line="49"/>
        <source>The topology link whose latency is drawn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/charts/latencychartpanel.cpp" line="54"/>
        <source>Link:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/charts/latencychartpanel.cpp" line="64"/>
        <source>No latency measured yet. Every diagnosis run adds one sample per link; Watch samples continuously.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/charts/latencychartpanel.cpp" line="103"/>
        <source>ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/charts/latencychartpanel.cpp" line="107"/>
        <source>connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/charts/latencychartpanel.cpp" line="107"/>
        <source>first byte</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/charts/latencychartpanel.cpp" line="107"/>
        <source>complete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/charts/latencychartpanel.cpp" line="125"/>
        <source>Times since each request started: connected, first response byte, response complete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/charts/latencychartpanel.cpp" line="249"/>
        <source>%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/charts/latencychartpanel.cpp" line="253"/>
        <source>Latest (%1): %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dd::LinkLatencyModel</name>
    <message>
        <location filename="../../ui/linklatencymodel.cpp" line="40"/>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/linklatencymodel.cpp" line="252"/>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/linklatencymodel.cpp" line="254"/>
        <source>Link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/linklatencymodel.cpp" line="256"/>
        <source>Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/linklatencymodel.cpp" line="258"/>
        <source>First byte</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/linklatencymodel.cpp" line="260"/>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dd::MainWindow</name>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="117"/>
        <source>New profile from configuration…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="48"/>
        <source>DocServer Doctor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="53"/>
        <source>Choose a lab scenario or open a profile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="69"/>
        <source>Open profile…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="72"/>
        <source>Load a deployment profile (JSON) to diagnose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="75"/>
        <source>Run diagnosis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="78"/>
        <source>Probe the deployment and find which hop fails (F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="81"/>
        <source>Export report…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="84"/>
        <source>Save the diagnosis as a self-contained HTML report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="87"/>
        <source>Watch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="90"/>
        <source>Probe the deployment continuously and chart each link&apos;s latency live</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="93"/>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="99"/>
        <source>Lab scenario…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="100"/>
        <source>Reproduce a failure on this machine with real servers and diagnose it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="112"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="117"/>
        <source>&amp;Diagnosis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="123"/>
        <source>&amp;Lab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="142"/>
        <source>Main</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="148"/>
        <source>Lab:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="186"/>
        <source>Guided diagnosis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="196"/>
        <source>Guided wizard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="245"/>
        <source>unnamed profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="246"/>
        <source>DocServer Doctor — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="248"/>
        <source>Profile “%1” loaded. Run the diagnosis to probe it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="257"/>
        <source>Cannot open profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="281"/>
        <source>Starting lab scenario “%1”…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="309"/>
        <source>Lab scenario “%1” is running on 127.0.0.1. Run the diagnosis to find what it broke.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="318"/>
        <source>The lab stopped: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="324"/>
        <source>The lab scenario could not start:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="325"/>
        <source>Lab scenario failed to start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="338"/>
        <source>Diagnosing… The decision path appears here when the evidence is in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="340"/>
        <location filename="../../ui/mainwindow.cpp" line="528"/>
        <source>Diagnosing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/mainwindow.cpp" line="356"/>
        <source>Diagnosing… %n evidence item(s) so far</source>
        <translation>
            <numerusform>Diagnosing… %n evidence item so far</numerusform>
            <numerusform>Diagnosing… %n evidence items so far</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/mainwindow.cpp" line="369"/>
        <source>Diagnosis finished in %1 s with %n evidence item(s).</source>
        <translation>
            <numerusform>Diagnosis finished in %1 s with %n evidence item.</numerusform>
            <numerusform>Diagnosis finished in %1 s with %n evidence items.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="371"/>
        <source>Diagnosis finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="390"/>
        <source>Walked the decision tree again with your answer; nothing was probed again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="403"/>
        <source>The diagnosis could not complete.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="406"/>
        <source>The diagnosis could not complete:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="407"/>
        <source>Diagnosis failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="426"/>
        <source>Watching the deployment: a new latency sample per link every %1 s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="431"/>
        <source>Stopped watching.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="457"/>
        <source>there is no diagnosis to export yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="468"/>
        <source>Open profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="468"/>
        <source>Profiles (*.json);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="480"/>
        <source>Export report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="480"/>
        <source>HTML reports (*.html)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="485"/>
        <source>Cannot export report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="488"/>
        <source>Report written to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="518"/>
        <source>No diagnosis yet. Press “Run diagnosis” to probe the deployment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="519"/>
        <source>No diagnosis yet. Choose a lab scenario or open a profile, then run the diagnosis.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="528"/>
        <source>The topology fills in as evidence arrives.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dd::ResultTabs</name>
    <message>
        <location filename="../../ui/resulttabs.cpp" line="62"/>
        <location filename="../../ui/resulttabs.cpp" line="64"/>
        <source>Findings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/resulttabs.cpp" line="62"/>
        <source>most likely cause first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/resulttabs.cpp" line="63"/>
        <location filename="../../ui/resulttabs.cpp" line="65"/>
        <source>Evidence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/resulttabs.cpp" line="63"/>
        <source>what was observed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/resulttabs.cpp" line="66"/>
        <source>Latency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/resulttabs.cpp" line="67"/>
        <source>Connect, first byte and total time per topology link</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dd::TopologyLinkItem</name>
    <message>
        <location filename="../../ui/topologyitems.cpp" line="125"/>
        <location filename="../../ui/topologyitems.cpp" line="140"/>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dd::TopologyScene</name>
    <message>
        <location filename="../../ui/topologyscene.cpp" line="108"/>
        <source>No deployment loaded: open a profile or choose a lab scenario.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dd::VerdictLabel</name>
    <message>
        <location filename="../../ui/verdictlabel.cpp" line="36"/>
        <source>Problem found: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/verdictlabel.cpp" line="39"/>
        <source>No problem found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/verdictlabel.cpp" line="42"/>
        <source>Inconclusive: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/verdictlabel.cpp" line="42"/>
        <source>the evidence does not point to one cause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/verdictlabel.cpp" line="49"/>
        <source>Hop: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/verdictlabel.cpp" line="51"/>
        <source>Confidence: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/verdictlabel.cpp" line="51"/>
        <source>%1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/verdictlabel.cpp" line="53"/>
        <source>Cause id: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dd::WizardPanel</name>
    <message>
        <location filename="../../ui/wizardpanel.cpp" line="102"/>
        <source>The decision path of the last diagnosis. Each question is answered from the evidence where possible; only what cannot be observed is asked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/wizardpanel.cpp" line="113"/>
        <source>Start over</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/wizardpanel.cpp" line="115"/>
        <source>Forget the answers and run the diagnosis again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/wizardpanel.cpp" line="210"/>
        <source>No diagnosis yet. Run the diagnosis and the wizard walks its decision path with you, step by step.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/wizardpanel.cpp" line="261"/>
        <source>%1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/wizardpanel.cpp" line="266"/>
        <source>You answered: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/wizardpanel.cpp" line="267"/>
        <source>So: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/wizardpanel.cpp" line="271"/>
        <source>Only you can answer this.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/wizardpanel.cpp" line="271"/>
        <source>Nothing the probes, logs or captures observe tells it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/wizardpanel.cpp" line="277"/>
        <source>Until you answer: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/wizardpanel.cpp" line="279"/>
        <source>Found: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/wizardpanel.cpp" line="307"/>
        <source>Change the answer:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/wizardpanel.cpp" line="340"/>
        <source>Conclusion: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/wizardpanel.cpp" line="345"/>
        <source>Conclusion: no problem found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/wizardpanel.cpp" line="348"/>
        <source>Conclusion: inconclusive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/wizardpanel.cpp" line="364"/>
        <source>Every check passed. If users still report a problem, answer the question above.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/wizardpanel.cpp" line="373"/>
        <source>Nothing observed carries this fact; the tree took its default way.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/wizardpanel.cpp" line="381"/>
        <source>Decided by:</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/wizardpanel.cpp" line="384"/>
        <source>and %n more</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>dd::WizardTexts</name>
    <message>
        <location filename="../../ui/wizardtexts.cpp" line="71"/>
        <source>What do the users see when they open a document?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/wizardtexts.cpp" line="20"/>
        <source>Nothing is wrong: documents open, edit and save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/wizardtexts.cpp" line="21"/>
        <source>The editor says “Download failed”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/wizardtexts.cpp" line="25"/>
        <source>The editor says “The document security token is not correctly formed”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/wizardtexts.cpp" line="28"/>
        <source>The editor opens, then says “Connection is lost”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/wizardtexts.cpp" line="31"/>
        <source>Editing works, but the editor says “The document could not be saved”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/wizardtexts.cpp" line="34"/>
        <source>The editor frame stays blank or says “refused to connect”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/wizardtexts.cpp" line="38"/>
        <source>The browser console reports mixed content (http:// on an https page)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/wizardtexts.cpp" line="41"/>
        <source>Document Server&apos;s test example (/example/) does not open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/wizardtexts.cpp" line="42"/>
        <source>The bundled example service is stopped or not proxied.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/wizardtexts.cpp" line="22"/>
        <source>Document Server could not fetch the file from the storage (integrator) URL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/wizardtexts.cpp" line="26"/>
        <source>The JWT secret or header differs between Document Server and the integrator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/wizardtexts.cpp" line="29"/>
        <source>The co-editing WebSocket is cut, often by a proxy timeout.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/wizardtexts.cpp" line="32"/>
        <source>Document Server could not deliver the saved file to the integrator&apos;s callback.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/wizardtexts.cpp" line="35"/>
        <source>A proxy adds X-Frame-Options or CSP headers that forbid embedding the editor.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/wizardtexts.cpp" line="39"/>
        <source>Document Server builds http:// links because the proxy does not pass the scheme.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../../app/gui/main.cpp" line="45"/>
        <source>Finds which hop of an ONLYOFFICE Document Server deployment answers 502/503/504, and why.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/main.cpp" line="49"/>
        <source>Diagnose the deployment described by FILE.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/main.cpp" line="53"/>
        <source>Without --profile: the Fault Lab scenario to start (default: %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/main.cpp" line="58"/>
        <source>Run a diagnosis as soon as the profile is ready.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dd::ProfileEditorDialog</name>
    <message>
        <location filename="../../ui/profileeditordialog.cpp" line="24"/>
        <source>New profile from configuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/profileeditordialog.cpp" line="28"/>
        <source>a label for reports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/profileeditordialog.cpp" line="29"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/profileeditordialog.cpp" line="34"/>
        <source>Front proxy configuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/profileeditordialog.cpp" line="36"/>
        <source>Document Server&apos;s nginx configuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/profileeditordialog.cpp" line="37"/>
        <source>Document Server&apos;s local.json (or its folder, docker inspect, env file)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/profileeditordialog.cpp" line="39"/>
        <source>Integrator settings (occ config:list onlyoffice)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/profileeditordialog.cpp" line="42"/>
        <source>Read configuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/profileeditordialog.cpp" line="53"/>
        <source>Name the configuration files, then read them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/profileeditordialog.cpp" line="58"/>
        <source>Save profile…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/profileeditordialog.cpp" line="60"/>
        <source>Load into workbench</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/profileeditordialog.cpp" line="84"/>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/profileeditordialog.cpp" line="131"/>
        <source>Name at least one configuration file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/profileeditordialog.cpp" line="140"/>
        <source>%n address(es) read from the configuration; %1 error(s), %2 warning(s) found by the checks (docserver-doctor-cli lint). Double-click an address to correct it.</source>
        <translation>
            <numerusform>%n address read from the configuration; %1 error(s), %2 warning(s) found by the checks (docserver-doctor-cli lint). Double-click an address to correct it.</numerusform>
            <numerusform>%n addresses read from the configuration; %1 error(s), %2 warning(s) found by the checks (docserver-doctor-cli lint). Double-click an address to correct it.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/profileeditordialog.cpp" line="155"/>
        <source>The profile needs the public address or Document Server&apos;s address: fill in publicUrl or docserverUrl.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/profileeditordialog.cpp" line="167"/>
        <source>%1: cannot write it (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/profileeditordialog.cpp" line="176"/>
        <source>Save profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/profileeditordialog.cpp" line="176"/>
        <source>Profiles (*.json);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/profileeditordialog.cpp" line="181"/>
        <source>Profile saved to %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dd::StackModel</name>
    <message>
        <location filename="../../ui/stackmodel.cpp" line="37"/>
        <source>not in the configuration: enter it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/stackmodel.cpp" line="89"/>
        <source>(shown only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/stackmodel.cpp" line="107"/>
        <source>corrected by hand</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/stackmodel.cpp" line="126"/>
        <source>Hop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/stackmodel.cpp" line="128"/>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/stackmodel.cpp" line="130"/>
        <source>Profile field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/stackmodel.cpp" line="132"/>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/stackmodel.cpp" line="134"/>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
