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
        <source>Main</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lab:</source>
        <translation type="unfinished"></translation>
    </message>
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
        <source>The diagnosis could not complete:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Diagnosis failed.</source>
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
