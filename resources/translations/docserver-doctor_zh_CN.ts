<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>dd::EvidenceModel</name>
    <message>
        <source>Probe</source>
        <translation>探测</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>Capture</source>
        <translation>抓包</translation>
    </message>
    <message>
        <source>Config</source>
        <translation>配置</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>主机</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Node / link</source>
        <translation>节点 / 链路</translation>
    </message>
    <message>
        <source>Health</source>
        <translation>健康状态</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
</context>
<context>
    <name>dd::FindingsModel</name>
    <message>
        <source>%1 %</source>
        <translation>%1%</translation>
    </message>
    <message>
        <source>Why: %1</source>
        <translation>依据：%1</translation>
    </message>
    <message>
        <source>Fix: %1</source>
        <translation>修复：%1</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Cause</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation>置信度</translation>
    </message>
    <message>
        <source>Hop</source>
        <translation>跳点</translation>
    </message>
    <message>
        <source>Fix</source>
        <translation>修复方法</translation>
    </message>
</context>
<context>
    <name>dd::HealthStyle</name>
    <message>
        <source>OK</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Degraded</source>
        <translation>降级</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>故障</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
</context>
<context>
    <name>dd::MainWindow</name>
    <message>
        <source>DocServer Doctor</source>
        <translation>DocServer Doctor</translation>
    </message>
    <message>
        <source>Choose a lab scenario or open a profile.</source>
        <translation>请选择一个实验场景或打开一个配置档案。</translation>
    </message>
    <message>
        <source>Open profile…</source>
        <translation>打开配置档案…</translation>
    </message>
    <message>
        <source>Load a deployment profile (JSON) to diagnose</source>
        <translation>加载要诊断的部署配置档案（JSON）</translation>
    </message>
    <message>
        <source>Run diagnosis</source>
        <translation>运行诊断</translation>
    </message>
    <message>
        <source>Probe the deployment and find which hop fails (F5)</source>
        <translation>探测部署并找出哪一跳出了故障（F5）</translation>
    </message>
    <message>
        <source>Export report…</source>
        <translation>导出报告…</translation>
    </message>
    <message>
        <source>Save the diagnosis as a self-contained HTML report</source>
        <translation>将诊断结果保存为独立的 HTML 报告</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Lab scenario…</source>
        <translation>实验场景…</translation>
    </message>
    <message>
        <source>Reproduce a failure on this machine with real servers and diagnose it</source>
        <translation>在本机用真实服务复现故障并进行诊断</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Diagnosis</source>
        <translation>诊断(&amp;D)</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>Lab:</source>
        <translation>实验：</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>诊断结论</translation>
    </message>
    <message>
        <source>most likely cause first</source>
        <translation>最可能的原因排在最前</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>证据</translation>
    </message>
    <message>
        <source>what was observed</source>
        <translation>观察到的情况</translation>
    </message>
    <message>
        <source>unnamed profile</source>
        <translation>未命名配置档案</translation>
    </message>
    <message>
        <source>DocServer Doctor — %1</source>
        <translation>DocServer Doctor — %1</translation>
    </message>
    <message>
        <source>Profile “%1” loaded. Run the diagnosis to probe it.</source>
        <translation>已加载配置档案“%1”。运行诊断以进行探测。</translation>
    </message>
    <message>
        <source>Cannot open profile</source>
        <translation>无法打开配置档案</translation>
    </message>
    <message>
        <source>Starting lab scenario “%1”…</source>
        <translation>正在启动实验场景“%1”…</translation>
    </message>
    <message>
        <source>Lab scenario “%1” is running on 127.0.0.1. Run the diagnosis to find what it broke.</source>
        <translation>实验场景“%1”正在 127.0.0.1 上运行。运行诊断，找出它破坏了什么。</translation>
    </message>
    <message>
        <source>The lab stopped: %1</source>
        <translation>实验已停止：%1</translation>
    </message>
    <message>
        <source>The lab scenario could not start:</source>
        <translation>实验场景无法启动：</translation>
    </message>
    <message>
        <source>Lab scenario failed to start.</source>
        <translation>实验场景启动失败。</translation>
    </message>
    <message>
        <source>Diagnosing…</source>
        <translation>正在诊断…</translation>
    </message>
    <message numerus="yes">
        <source>Diagnosing… %n evidence item(s) so far</source>
        <translation>
            <numerusform>正在诊断… 目前已有 %n 条证据</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Diagnosis finished in %1 s with %n evidence item(s).</source>
        <translation>
            <numerusform>诊断完成，用时 %1 秒，共 %n 条证据。</numerusform>
        </translation>
    </message>
    <message>
        <source>Diagnosis finished.</source>
        <translation>诊断完成。</translation>
    </message>
    <message>
        <source>The diagnosis could not complete:</source>
        <translation>诊断未能完成：</translation>
    </message>
    <message>
        <source>Diagnosis failed.</source>
        <translation>诊断失败。</translation>
    </message>
    <message>
        <source>there is no diagnosis to export yet</source>
        <translation>还没有可导出的诊断结果</translation>
    </message>
    <message>
        <source>Open profile</source>
        <translation>打开配置档案</translation>
    </message>
    <message>
        <source>Profiles (*.json);;All files (*)</source>
        <translation>配置档案 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Export report</source>
        <translation>导出报告</translation>
    </message>
    <message>
        <source>HTML reports (*.html)</source>
        <translation>HTML 报告 (*.html)</translation>
    </message>
    <message>
        <source>Cannot export report</source>
        <translation>无法导出报告</translation>
    </message>
    <message>
        <source>Report written to %1</source>
        <translation>报告已写入 %1</translation>
    </message>
    <message>
        <source>No diagnosis yet. Press “Run diagnosis” to probe the deployment.</source>
        <translation>尚无诊断结果。点击“运行诊断”探测该部署。</translation>
    </message>
    <message>
        <source>No diagnosis yet. Choose a lab scenario or open a profile, then run the diagnosis.</source>
        <translation>尚无诊断结果。请选择一个实验场景或打开一个配置档案，然后运行诊断。</translation>
    </message>
    <message>
        <source>The topology fills in as evidence arrives.</source>
        <translation>拓扑图会随着证据的到来逐步更新。</translation>
    </message>
    <message>
        <source>Problem found: %1</source>
        <translation>发现问题：%1</translation>
    </message>
    <message>
        <source>No problem found</source>
        <translation>未发现问题</translation>
    </message>
    <message>
        <source>Inconclusive: %1</source>
        <translation>无法确定：%1</translation>
    </message>
    <message>
        <source>the evidence does not point to one cause</source>
        <translation>证据未能指向单一原因</translation>
    </message>
    <message>
        <source>Hop: %1</source>
        <translation>跳点：%1</translation>
    </message>
    <message>
        <source>Confidence: %1</source>
        <translation>置信度：%1</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1%</translation>
    </message>
    <message>
        <source>Cause id: %1</source>
        <translation>原因编号：%1</translation>
    </message>
</context>
<context>
    <name>dd::TopologyLinkItem</name>
    <message>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
</context>
<context>
    <name>dd::TopologyScene</name>
    <message>
        <source>No deployment loaded: open a profile or choose a lab scenario.</source>
        <translation>尚未加载部署：请打开配置档案或选择实验场景。</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Finds which hop of an ONLYOFFICE Document Server deployment answers 502/503/504, and why.</source>
        <translation>找出 ONLYOFFICE Document Server 部署中是哪一跳返回了 502/503/504，以及原因。</translation>
    </message>
    <message>
        <source>Diagnose the deployment described by FILE.</source>
        <translation>诊断 FILE 所描述的部署。</translation>
    </message>
    <message>
        <source>Without --profile: the Fault Lab scenario to start (default: %1).</source>
        <translation>未指定 --profile 时要启动的故障实验场景（默认：%1）。</translation>
    </message>
    <message>
        <source>Run a diagnosis as soon as the profile is ready.</source>
        <translation>配置档案就绪后立即运行诊断。</translation>
    </message>
</context>
</TS>
