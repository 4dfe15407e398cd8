<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>dd::EvidenceModel</name>
    <message>
        <source>Probe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Capture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Config</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Node / link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Health</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Summary</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dd::FindingsModel</name>
    <message>
        <source>%1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fix: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>#</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fix</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dd::HealthStyle</name>
    <message>
        <source>OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Degraded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dd::LatencyChartPanel</name>
    <message>
        <source>The topology link whose latency is drawn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Link:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No latency measured yet. Every diagnosis run adds one sample per link; Watch samples continuously.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>first byte</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>complete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Times since each request started: connected, first response byte, response complete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latest (%1): %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dd::LinkLatencyModel</name>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First byte</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dd::MainWindow</name>
    <message>
        <source>DocServer Doctor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a lab scenario or open a profile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open profile…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load a deployment profile (JSON) to diagnose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run diagnosis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Probe the deployment and find which hop fails (F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export report…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the diagnosis as a self-contained HTML report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Watch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Probe the deployment continuously and chart each link&apos;s latency live</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lab scenario…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reproduce a failure on this machine with real servers and diagnose it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Diagnosis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Lab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Main</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lab:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Guided diagnosis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Guided wizard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unnamed profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DocServer Doctor — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profile “%1” loaded. Run the diagnosis to probe it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting lab scenario “%1”…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lab scenario “%1” is running on 127.0.0.1. Run the diagnosis to find what it broke.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The lab stopped: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The lab scenario could not start:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lab scenario failed to start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Diagnosing… The decision path appears here when the evidence is in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Diagnosing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Diagnosing… %n evidence item(s) so far</source>
        <translation>
            <numerusform>Diagnosing… %n evidence item so far</numerusform>
            <numerusform>Diagnosing… %n evidence items so far</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Diagnosis finished in %1 s with %n evidence item(s).</source>
        <translation>
            <numerusform>Diagnosis finished in %1 s with %n evidence item.</numerusform>
            <numerusform>Diagnosis finished in %1 s with %n evidence items.</numerusform>
        </translation>
    </message>
    <message>
        <source>Diagnosis finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Walked the decision tree again with your answer; nothing was probed again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The diagnosis could not complete.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The diagnosis could not complete:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Diagnosis failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Watching the deployment: a new latency sample per link every %1 s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped watching.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>there is no diagnosis to export yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profiles (*.json);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTML reports (*.html)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot export report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report written to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No diagnosis yet. Press “Run diagnosis” to probe the deployment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No diagnosis yet. Choose a lab scenario or open a profile, then run the diagnosis.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The topology fills in as evidence arrives.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dd::ResultTabs</name>
    <message>
        <source>Findings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>most likely cause first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>what was observed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect, first byte and total time per topology link</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dd::TopologyLinkItem</name>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dd::TopologyScene</name>
    <message>
        <source>No deployment loaded: open a profile or choose a lab scenario.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dd::VerdictLabel</name>
    <message>
        <source>Problem found: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No problem found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inconclusive: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the evidence does not point to one cause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hop: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confidence: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cause id: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dd::WizardPanel</name>
    <message>
        <source>The decision path of the last diagnosis. Each question is answered from the evidence where possible; only what cannot be observed is asked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start over</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forget the answers and run the diagnosis again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No diagnosis yet. Run the diagnosis and the wizard walks its decision path with you, step by step.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You answered: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>So: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only you can answer this.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing the probes, logs or captures observe tells it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Until you answer: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Found: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change the answer:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conclusion: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conclusion: no problem found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conclusion: inconclusive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every check passed. If users still report a problem, answer the question above.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing observed carries this fact; the tree took its default way.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decided by:</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
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
        <source>What do the users see when they open a document?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing is wrong: documents open, edit and save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The editor says “Download failed”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The editor says “The document security token is not correctly formed”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The editor opens, then says “Connection is lost”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Editing works, but the editor says “The document could not be saved”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The editor frame stays blank or says “refused to connect”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The browser console reports mixed content (http:// on an https page)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Document Server&apos;s test example (/example/) does not open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The bundled example service is stopped or not proxied.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Document Server could not fetch the file from the storage (integrator) URL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The JWT secret or header differs between Document Server and the integrator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The co-editing WebSocket is cut, often by a proxy timeout.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Document Server could not deliver the saved file to the integrator&apos;s callback.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A proxy adds X-Frame-Options or CSP headers that forbid embedding the editor.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Document Server builds http:// links because the proxy does not pass the scheme.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Finds which hop of an ONLYOFFICE Document Server deployment answers 502/503/504, and why.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Diagnose the deployment described by FILE.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Without --profile: the Fault Lab scenario to start (default: %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run a diagnosis as soon as the profile is ready.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
