<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>dd::EvidenceModel</name>
    <message>
        <location filename="../../ui/evidencemodel.cpp" line="12"/>
        <source>Probe</source>
        <translation>探测</translation>
    </message>
    <message>
        <location filename="../../ui/evidencemodel.cpp" line="14"/>
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <location filename="../../ui/evidencemodel.cpp" line="16"/>
        <source>Capture</source>
        <translation>抓包</translation>
    </message>
    <message>
        <location filename="../../ui/evidencemodel.cpp" line="18"/>
        <source>Config</source>
        <translation>配置</translation>
    </message>
    <message>
        <location filename="../../ui/evidencemodel.cpp" line="20"/>
        <source>Host</source>
        <translation>主机</translation>
    </message>
    <message>
        <location filename="../../ui/evidencemodel.cpp" line="22"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../ui/evidencemodel.cpp" line="154"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../ui/evidencemodel.cpp" line="156"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../ui/evidencemodel.cpp" line="158"/>
        <source>Node / link</source>
        <translation>节点 / 链路</translation>
    </message>
    <message>
        <location filename="../../ui/evidencemodel.cpp" line="160"/>
        <source>Health</source>
        <translation>健康状态</translation>
    </message>
    <message>
        <location filename="../../ui/evidencemodel.cpp" line="162"/>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
</context>
<context>
    <name>dd::FindingsModel</name>
    <message>
        <location filename="../../ui/findingsmodel.cpp" line="57"/>
        <source>%1 %</source>
        <translation>%1%</translation>
    </message>
    <message>
        <location filename="../../ui/findingsmodel.cpp" line="69"/>
        <source>Why: %1</source>
        <translation>依据：%1</translation>
    </message>
    <message>
        <location filename="../../ui/findingsmodel.cpp" line="71"/>
        <source>Fix: %1</source>
        <translation>修复：%1</translation>
    </message>
    <message>
        <location filename="../../ui/findingsmodel.cpp" line="95"/>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <location filename="../../ui/findingsmodel.cpp" line="97"/>
        <source>Cause</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../ui/findingsmodel.cpp" line="99"/>
        <source>Confidence</source>
        <translation>置信度</translation>
    </message>
    <message>
        <location filename="../../ui/findingsmodel.cpp" line="101"/>
        <source>Hop</source>
        <translation>跳点</translation>
    </message>
    <message>
        <location filename="../../ui/findingsmodel.cpp" line="103"/>
        <source>Fix</source>
        <translation>修复方法</translation>
    </message>
</context>
<context>
    <name>dd::HealthStyle</name>
    <message>
        <location filename="../../ui/healthstyle.cpp" line="41"/>
        <source>OK</source>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../../ui/healthstyle.cpp" line="43"/>
        <source>Degraded</source>
        <translation>降级</translation>
    </message>
    <message>
        <location filename="../../ui/healthstyle.cpp" line="45"/>
        <source>Failed</source>
        <translation>故障</translation>
    </message>
    <message>
        <location filename="../../ui/healthstyle.cpp" line="49"/>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
</context>
<context>
    <name>dd::LatencyChartPanel</name>
    <message>
        <location filename="../../ui/charts/latencychartpanel.cpp" line="49"/>
        <source>The topology link whose latency is drawn</source>
        <translation>绘制其延迟的拓扑链路</translation>
    </message>
    <message>
        <location filename="../../ui/charts/latencychartpanel.cpp" line="54"/>
        <source>Link:</source>
        <translation>链路：</translation>
    </message>
    <message>
        <location filename="../../ui/charts/latencychartpanel.cpp" line="64"/>
        <source>No latency measured yet. Every diagnosis run adds one sample per link; Watch samples continuously.</source>
        <translation>尚未测得延迟。每次诊断为每条链路添加一个样本；“监视”会持续采样。</translation>
    </message>
    <message>
        <location filename="../../ui/charts/latencychartpanel.cpp" line="103"/>
        <source>ms</source>
        <translation>毫秒</translation>
    </message>
    <message>
        <location filename="../../ui/charts/latencychartpanel.cpp" line="107"/>
        <source>connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <location filename="../../ui/charts/latencychartpanel.cpp" line="107"/>
        <source>first byte</source>
        <translation>首字节</translation>
    </message>
    <message>
        <location filename="../../ui/charts/latencychartpanel.cpp" line="107"/>
        <source>complete</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../ui/charts/latencychartpanel.cpp" line="125"/>
        <source>Times since each request started: connected, first response byte, response complete</source>
        <translation>自每个请求开始起的时间：建立连接、收到首个响应字节、响应完成</translation>
    </message>
    <message>
        <location filename="../../ui/charts/latencychartpanel.cpp" line="249"/>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <location filename="../../ui/charts/latencychartpanel.cpp" line="253"/>
        <source>Latest (%1): %2</source>
        <translation>最新（%1）：%2</translation>
    </message>
</context>
<context>
    <name>dd::LinkLatencyModel</name>
    <message>
        <location filename="../../ui/linklatencymodel.cpp" line="40"/>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <location filename="../../ui/linklatencymodel.cpp" line="252"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../ui/linklatencymodel.cpp" line="254"/>
        <source>Link</source>
        <translation>链路</translation>
    </message>
    <message>
        <location filename="../../ui/linklatencymodel.cpp" line="256"/>
        <source>Connect</source>
        <translation>连接</translation>
    </message>
    <message>
        <location filename="../../ui/linklatencymodel.cpp" line="258"/>
        <source>First byte</source>
        <translation>首字节</translation>
    </message>
    <message>
        <location filename="../../ui/linklatencymodel.cpp" line="260"/>
        <source>Total</source>
        <translation>总计</translation>
    </message>
</context>
<context>
    <name>dd::MainWindow</name>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="117"/>
        <source>New profile from configuration…</source>
        <translation>从配置新建配置档…</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="48"/>
        <source>DocServer Doctor</source>
        <translation>DocServer Doctor</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="53"/>
        <source>Choose a lab scenario or open a profile.</source>
        <translation>请选择一个实验场景或打开一个配置档案。</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="69"/>
        <source>Open profile…</source>
        <translation>打开配置档案…</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="72"/>
        <source>Load a deployment profile (JSON) to diagnose</source>
        <translation>加载要诊断的部署配置档案（JSON）</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="75"/>
        <source>Run diagnosis</source>
        <translation>运行诊断</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="78"/>
        <source>Probe the deployment and find which hop fails (F5)</source>
        <translation>探测部署并找出哪一跳出了故障（F5）</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="81"/>
        <source>Export report…</source>
        <translation>导出报告…</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="84"/>
        <source>Save the diagnosis as a self-contained HTML report</source>
        <translation>将诊断结果保存为独立的 HTML 报告</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="87"/>
        <source>Watch</source>
        <translation>监视</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="90"/>
        <source>Probe the deployment continuously and chart each link&apos;s latency live</source>
        <translation>持续探测部署，并实时绘制每条链路的延迟</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="93"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="99"/>
        <source>Lab scenario…</source>
        <translation>实验场景…</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="100"/>
        <source>Reproduce a failure on this machine with real servers and diagnose it</source>
        <translation>在本机用真实服务复现故障并进行诊断</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="112"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="117"/>
        <source>&amp;Diagnosis</source>
        <translation>诊断(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="123"/>
        <source>&amp;Lab</source>
        <translation>实验室(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="142"/>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="148"/>
        <source>Lab:</source>
        <translation>实验：</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="186"/>
        <source>Guided diagnosis</source>
        <translation>引导式诊断</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="196"/>
        <source>Guided wizard</source>
        <translation>引导向导</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="245"/>
        <source>unnamed profile</source>
        <translation>未命名配置档案</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="246"/>
        <source>DocServer Doctor — %1</source>
        <translation>DocServer Doctor — %1</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="248"/>
        <source>Profile “%1” loaded. Run the diagnosis to probe it.</source>
        <translation>已加载配置档案“%1”。运行诊断以进行探测。</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="257"/>
        <source>Cannot open profile</source>
        <translation>无法打开配置档案</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="281"/>
        <source>Starting lab scenario “%1”…</source>
        <translation>正在启动实验场景“%1”…</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="309"/>
        <source>Lab scenario “%1” is running on 127.0.0.1. Run the diagnosis to find what it broke.</source>
        <translation>实验场景“%1”正在 127.0.0.1 上运行。运行诊断，找出它破坏了什么。</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="318"/>
        <source>The lab stopped: %1</source>
        <translation>实验已停止：%1</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="324"/>
        <source>The lab scenario could not start:</source>
        <translation>实验场景无法启动：</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="325"/>
        <source>Lab scenario failed to start.</source>
        <translation>实验场景启动失败。</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="338"/>
        <source>Diagnosing… The decision path appears here when the evidence is in.</source>
        <translation>正在诊断… 证据收集完成后，决策路径将显示在这里。</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="340"/>
        <location filename="../../ui/mainwindow.cpp" line="528"/>
        <source>Diagnosing…</source>
        <translation>正在诊断…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/mainwindow.cpp" line="356"/>
        <source>Diagnosing… %n evidence item(s) so far</source>
        <translation>
            <numerusform>正在诊断… 目前已有 %n 条证据</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/mainwindow.cpp" line="369"/>
        <source>Diagnosis finished in %1 s with %n evidence item(s).</source>
        <translation>
            <numerusform>诊断完成，用时 %1 秒，共 %n 条证据。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="371"/>
        <source>Diagnosis finished.</source>
        <translation>诊断完成。</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="390"/>
        <source>Walked the decision tree again with your answer; nothing was probed again.</source>
        <translation>已根据您的回答重新遍历决策树；没有再次探测。</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="403"/>
        <source>The diagnosis could not complete.</source>
        <translation>诊断未能完成。</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="406"/>
        <source>The diagnosis could not complete:</source>
        <translation>诊断未能完成：</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="407"/>
        <source>Diagnosis failed.</source>
        <translation>诊断失败。</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="426"/>
        <source>Watching the deployment: a new latency sample per link every %1 s.</source>
        <translation>正在监视部署：每 %1 秒为每条链路采集一个新的延迟样本。</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="431"/>
        <source>Stopped watching.</source>
        <translation>已停止监视。</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="457"/>
        <source>there is no diagnosis to export yet</source>
        <translation>还没有可导出的诊断结果</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="468"/>
        <source>Open profile</source>
        <translation>打开配置档案</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="468"/>
        <source>Profiles (*.json);;All files (*)</source>
        <translation>配置档案 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="480"/>
        <source>Export report</source>
        <translation>导出报告</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="480"/>
        <source>HTML reports (*.html)</source>
        <translation>HTML 报告 (*.html)</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="485"/>
        <source>Cannot export report</source>
        <translation>无法导出报告</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="488"/>
        <source>Report written to %1</source>
        <translation>报告已写入 %1</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="518"/>
        <source>No diagnosis yet. Press “Run diagnosis” to probe the deployment.</source>
        <translation>尚无诊断结果。点击“运行诊断”探测该部署。</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="519"/>
        <source>No diagnosis yet. Choose a lab scenario or open a profile, then run the diagnosis.</source>
        <translation>尚无诊断结果。请选择一个实验场景或打开一个配置档案，然后运行诊断。</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="528"/>
        <source>The topology fills in as evidence arrives.</source>
        <translation>拓扑图会随着证据的到来逐步更新。</translation>
    </message>
</context>
<context>
    <name>dd::ResultTabs</name>
    <message>
        <location filename="../../ui/resulttabs.cpp" line="62"/>
        <location filename="../../ui/resulttabs.cpp" line="64"/>
        <source>Findings</source>
        <translation>诊断结论</translation>
    </message>
    <message>
        <location filename="../../ui/resulttabs.cpp" line="62"/>
        <source>most likely cause first</source>
        <translation>最可能的原因排在最前</translation>
    </message>
    <message>
        <location filename="../../ui/resulttabs.cpp" line="63"/>
        <location filename="../../ui/resulttabs.cpp" line="65"/>
        <source>Evidence</source>
        <translation>证据</translation>
    </message>
    <message>
        <location filename="../../ui/resulttabs.cpp" line="63"/>
        <source>what was observed</source>
        <translation>观察到的情况</translation>
    </message>
    <message>
        <location filename="../../ui/resulttabs.cpp" line="66"/>
        <source>Latency</source>
        <translation>延迟</translation>
    </message>
    <message>
        <location filename="../../ui/resulttabs.cpp" line="67"/>
        <source>Connect, first byte and total time per topology link</source>
        <translation>每条拓扑链路的连接、首字节和总耗时</translation>
    </message>
</context>
<context>
    <name>dd::TopologyLinkItem</name>
    <message>
        <location filename="../../ui/topologyitems.cpp" line="125"/>
        <location filename="../../ui/topologyitems.cpp" line="140"/>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
</context>
<context>
    <name>dd::TopologyScene</name>
    <message>
        <location filename="../../ui/topologyscene.cpp" line="108"/>
        <source>No deployment loaded: open a profile or choose a lab scenario.</source>
        <translation>尚未加载部署：请打开配置档案或选择实验场景。</translation>
    </message>
</context>
<context>
    <name>dd::VerdictLabel</name>
    <message>
        <location filename="../../ui/verdictlabel.cpp" line="36"/>
        <source>Problem found: %1</source>
        <translation>发现问题：%1</translation>
    </message>
    <message>
        <location filename="../../ui/verdictlabel.cpp" line="39"/>
        <source>No problem found</source>
        <translation>未发现问题</translation>
    </message>
    <message>
        <location filename="../../ui/verdictlabel.cpp" line="42"/>
        <source>Inconclusive: %1</source>
        <translation>无法确定：%1</translation>
    </message>
    <message>
        <location filename="../../ui/verdictlabel.cpp" line="42"/>
        <source>the evidence does not point to one cause</source>
        <translation>证据未能指向单一原因</translation>
    </message>
    <message>
        <location filename="../../ui/verdictlabel.cpp" line="49"/>
        <source>Hop: %1</source>
        <translation>跳点：%1</translation>
    </message>
    <message>
        <location filename="../../ui/verdictlabel.cpp" line="51"/>
        <source>Confidence: %1</source>
        <translation>置信度：%1</translation>
    </message>
    <message>
        <location filename="../../ui/verdictlabel.cpp" line="51"/>
        <source>%1 %</source>
        <translation>%1%</translation>
    </message>
    <message>
        <location filename="../../ui/verdictlabel.cpp" line="53"/>
        <source>Cause id: %1</source>
        <translation>原因编号：%1</translation>
    </message>
</context>
<context>
    <name>dd::WizardPanel</name>
    <message>
        <location filename="../../ui/wizardpanel.cpp" line="102"/>
        <source>The decision path of the last diagnosis. Each question is answered from the evidence where possible; only what cannot be observed is asked.</source>
        <translation>最近一次诊断的决策路径。能从证据回答的问题都已自动回答；只询问无法观测到的内容。</translation>
    </message>
    <message>
        <location filename="../../ui/wizardpanel.cpp" line="113"/>
        <source>Start over</source>
        <translation>重新开始</translation>
    </message>
    <message>
        <location filename="../../ui/wizardpanel.cpp" line="115"/>
        <source>Forget the answers and run the diagnosis again</source>
        <translation>清除回答并重新运行诊断</translation>
    </message>
    <message>
        <location filename="../../ui/wizardpanel.cpp" line="210"/>
        <source>No diagnosis yet. Run the diagnosis and the wizard walks its decision path with you, step by step.</source>
        <translation>尚无诊断。运行诊断后，向导会与您一起逐步走完决策路径。</translation>
    </message>
    <message>
        <location filename="../../ui/wizardpanel.cpp" line="261"/>
        <source>%1.</source>
        <translation>%1.</translation>
    </message>
    <message>
        <location filename="../../ui/wizardpanel.cpp" line="266"/>
        <source>You answered: %1</source>
        <translation>您的回答：%1</translation>
    </message>
    <message>
        <location filename="../../ui/wizardpanel.cpp" line="267"/>
        <source>So: %1</source>
        <translation>因此：%1</translation>
    </message>
    <message>
        <location filename="../../ui/wizardpanel.cpp" line="271"/>
        <source>Only you can answer this.</source>
        <translation>只有您能回答这个问题。</translation>
    </message>
    <message>
        <location filename="../../ui/wizardpanel.cpp" line="271"/>
        <source>Nothing the probes, logs or captures observe tells it.</source>
        <translation>探测、日志和抓包都无法观测到它。</translation>
    </message>
    <message>
        <location filename="../../ui/wizardpanel.cpp" line="277"/>
        <source>Until you answer: %1</source>
        <translation>在您回答之前：%1</translation>
    </message>
    <message>
        <location filename="../../ui/wizardpanel.cpp" line="279"/>
        <source>Found: %1</source>
        <translation>发现：%1</translation>
    </message>
    <message>
        <location filename="../../ui/wizardpanel.cpp" line="307"/>
        <source>Change the answer:</source>
        <translation>更改回答：</translation>
    </message>
    <message>
        <location filename="../../ui/wizardpanel.cpp" line="340"/>
        <source>Conclusion: %1</source>
        <translation>结论：%1</translation>
    </message>
    <message>
        <location filename="../../ui/wizardpanel.cpp" line="345"/>
        <source>Conclusion: no problem found</source>
        <translation>结论：未发现问题</translation>
    </message>
    <message>
        <location filename="../../ui/wizardpanel.cpp" line="348"/>
        <source>Conclusion: inconclusive</source>
        <translation>结论：无法确定</translation>
    </message>
    <message>
        <location filename="../../ui/wizardpanel.cpp" line="364"/>
        <source>Every check passed. If users still report a problem, answer the question above.</source>
        <translation>所有检查均已通过。如果用户仍报告问题，请回答上面的问题。</translation>
    </message>
    <message>
        <location filename="../../ui/wizardpanel.cpp" line="373"/>
        <source>Nothing observed carries this fact; the tree took its default way.</source>
        <translation>没有观测到包含此事实的证据；决策树走了默认分支。</translation>
    </message>
    <message>
        <location filename="../../ui/wizardpanel.cpp" line="381"/>
        <source>Decided by:</source>
        <translation>判定依据：</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/wizardpanel.cpp" line="384"/>
        <source>and %n more</source>
        <translation>
            <numerusform>以及另外 %n 项</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>dd::WizardTexts</name>
    <message>
        <location filename="../../ui/wizardtexts.cpp" line="71"/>
        <source>What do the users see when they open a document?</source>
        <translation>用户打开文档时看到了什么？</translation>
    </message>
    <message>
        <location filename="../../ui/wizardtexts.cpp" line="20"/>
        <source>Nothing is wrong: documents open, edit and save</source>
        <translation>一切正常：文档可以打开、编辑和保存</translation>
    </message>
    <message>
        <location filename="../../ui/wizardtexts.cpp" line="21"/>
        <source>The editor says “Download failed”</source>
        <translation>编辑器提示“Download failed”（下载失败）</translation>
    </message>
    <message>
        <location filename="../../ui/wizardtexts.cpp" line="25"/>
        <source>The editor says “The document security token is not correctly formed”</source>
        <translation>编辑器提示“The document security token is not correctly formed”（文档安全令牌格式不正确）</translation>
    </message>
    <message>
        <location filename="../../ui/wizardtexts.cpp" line="28"/>
        <source>The editor opens, then says “Connection is lost”</source>
        <translation>编辑器打开后提示“Connection is lost”（连接已断开）</translation>
    </message>
    <message>
        <location filename="../../ui/wizardtexts.cpp" line="31"/>
        <source>Editing works, but the editor says “The document could not be saved”</source>
        <translation>可以编辑，但编辑器提示“The document could not be saved”（文档无法保存）</translation>
    </message>
    <message>
        <location filename="../../ui/wizardtexts.cpp" line="34"/>
        <source>The editor frame stays blank or says “refused to connect”</source>
        <translation>编辑器框架一片空白，或提示“refused to connect”（拒绝连接）</translation>
    </message>
    <message>
        <location filename="../../ui/wizardtexts.cpp" line="38"/>
        <source>The browser console reports mixed content (http:// on an https page)</source>
        <translation>浏览器控制台报告混合内容（https 页面中出现 http:// 地址）</translation>
    </message>
    <message>
        <location filename="../../ui/wizardtexts.cpp" line="41"/>
        <source>Document Server&apos;s test example (/example/) does not open</source>
        <translation>Document Server 的测试示例（/example/）无法打开</translation>
    </message>
    <message>
        <location filename="../../ui/wizardtexts.cpp" line="42"/>
        <source>The bundled example service is stopped or not proxied.</source>
        <translation>自带的示例服务已停止，或未被代理。</translation>
    </message>
    <message>
        <location filename="../../ui/wizardtexts.cpp" line="22"/>
        <source>Document Server could not fetch the file from the storage (integrator) URL.</source>
        <translation>Document Server 无法从存储（集成方）地址获取文件。</translation>
    </message>
    <message>
        <location filename="../../ui/wizardtexts.cpp" line="26"/>
        <source>The JWT secret or header differs between Document Server and the integrator.</source>
        <translation>Document Server 与集成方的 JWT 密钥或请求头不一致。</translation>
    </message>
    <message>
        <location filename="../../ui/wizardtexts.cpp" line="29"/>
        <source>The co-editing WebSocket is cut, often by a proxy timeout.</source>
        <translation>协同编辑的 WebSocket 被切断，通常是代理超时所致。</translation>
    </message>
    <message>
        <location filename="../../ui/wizardtexts.cpp" line="32"/>
        <source>Document Server could not deliver the saved file to the integrator&apos;s callback.</source>
        <translation>Document Server 无法将保存的文件发送到集成方的回调地址。</translation>
    </message>
    <message>
        <location filename="../../ui/wizardtexts.cpp" line="35"/>
        <source>A proxy adds X-Frame-Options or CSP headers that forbid embedding the editor.</source>
        <translation>某个代理添加了禁止嵌入编辑器的 X-Frame-Options 或 CSP 头。</translation>
    </message>
    <message>
        <location filename="../../ui/wizardtexts.cpp" line="39"/>
        <source>Document Server builds http:// links because the proxy does not pass the scheme.</source>
        <translation>由于代理未传递协议，Document Server 生成了 http:// 链接。</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../../app/gui/main.cpp" line="45"/>
        <source>Finds which hop of an ONLYOFFICE Document Server deployment answers 502/503/504, and why.</source>
        <translation>找出 ONLYOFFICE Document Server 部署中是哪一跳返回了 502/503/504，以及原因。</translation>
    </message>
    <message>
        <location filename="../../app/gui/main.cpp" line="49"/>
        <source>Diagnose the deployment described by FILE.</source>
        <translation>诊断 FILE 所描述的部署。</translation>
    </message>
    <message>
        <location filename="../../app/gui/main.cpp" line="53"/>
        <source>Without --profile: the Fault Lab scenario to start (default: %1).</source>
        <translation>未指定 --profile 时要启动的故障实验场景（默认：%1）。</translation>
    </message>
    <message>
        <location filename="../../app/gui/main.cpp" line="58"/>
        <source>Run a diagnosis as soon as the profile is ready.</source>
        <translation>配置档案就绪后立即运行诊断。</translation>
    </message>
</context>
<context>
    <name>dd::ProfileEditorDialog</name>
    <message>
        <location filename="../../ui/profileeditordialog.cpp" line="24"/>
        <source>New profile from configuration</source>
        <translation>从配置新建配置档</translation>
    </message>
    <message>
        <location filename="../../ui/profileeditordialog.cpp" line="28"/>
        <source>a label for reports</source>
        <translation>报告中显示的名称</translation>
    </message>
    <message>
        <location filename="../../ui/profileeditordialog.cpp" line="29"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../ui/profileeditordialog.cpp" line="34"/>
        <source>Front proxy configuration</source>
        <translation>前端代理配置</translation>
    </message>
    <message>
        <location filename="../../ui/profileeditordialog.cpp" line="36"/>
        <source>Document Server&apos;s nginx configuration</source>
        <translation>Document Server 的 nginx 配置</translation>
    </message>
    <message>
        <location filename="../../ui/profileeditordialog.cpp" line="37"/>
        <source>Document Server&apos;s local.json (or its folder, docker inspect, env file)</source>
        <translation>Document Server 的 local.json（或其目录、docker inspect 输出、环境变量文件）</translation>
    </message>
    <message>
        <location filename="../../ui/profileeditordialog.cpp" line="39"/>
        <source>Integrator settings (occ config:list onlyoffice)</source>
        <translation>集成方设置（occ config:list onlyoffice）</translation>
    </message>
    <message>
        <location filename="../../ui/profileeditordialog.cpp" line="42"/>
        <source>Read configuration</source>
        <translation>读取配置</translation>
    </message>
    <message>
        <location filename="../../ui/profileeditordialog.cpp" line="53"/>
        <source>Name the configuration files, then read them.</source>
        <translation>先指定配置文件，再读取。</translation>
    </message>
    <message>
        <location filename="../../ui/profileeditordialog.cpp" line="58"/>
        <source>Save profile…</source>
        <translation>保存配置档…</translation>
    </message>
    <message>
        <location filename="../../ui/profileeditordialog.cpp" line="60"/>
        <source>Load into workbench</source>
        <translation>载入工作台</translation>
    </message>
    <message>
        <location filename="../../ui/profileeditordialog.cpp" line="84"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../ui/profileeditordialog.cpp" line="131"/>
        <source>Name at least one configuration file.</source>
        <translation>请至少指定一个配置文件。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/profileeditordialog.cpp" line="140"/>
        <source>%n address(es) read from the configuration; %1 error(s), %2 warning(s) found by the checks (docserver-doctor-cli lint). Double-click an address to correct it.</source>
        <translation>
            <numerusform>从配置中读取了 %n 个地址；检查（docserver-doctor-cli lint）发现 %1 个错误、%2 个警告。双击地址即可修改。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/profileeditordialog.cpp" line="155"/>
        <source>The profile needs the public address or Document Server&apos;s address: fill in publicUrl or docserverUrl.</source>
        <translation>配置档需要公网地址或 Document Server 的地址：请填写 publicUrl 或 docserverUrl。</translation>
    </message>
    <message>
        <location filename="../../ui/profileeditordialog.cpp" line="167"/>
        <source>%1: cannot write it (%2)</source>
        <translation>%1：无法写入（%2）</translation>
    </message>
    <message>
        <location filename="../../ui/profileeditordialog.cpp" line="176"/>
        <source>Save profile</source>
        <translation>保存配置档</translation>
    </message>
    <message>
        <location filename="../../ui/profileeditordialog.cpp" line="176"/>
        <source>Profiles (*.json);;All files (*)</source>
        <translation>配置档 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../ui/profileeditordialog.cpp" line="181"/>
        <source>Profile saved to %1.</source>
        <translation>配置档已保存到 %1。</translation>
    </message>
</context>
<context>
    <name>dd::StackModel</name>
    <message>
        <location filename="../../ui/stackmodel.cpp" line="37"/>
        <source>not in the configuration: enter it</source>
        <translation>配置中没有：请填写</translation>
    </message>
    <message>
        <location filename="../../ui/stackmodel.cpp" line="89"/>
        <source>(shown only)</source>
        <translation>（仅显示）</translation>
    </message>
    <message>
        <location filename="../../ui/stackmodel.cpp" line="107"/>
        <source>corrected by hand</source>
        <translation>已手动修改</translation>
    </message>
    <message>
        <location filename="../../ui/stackmodel.cpp" line="126"/>
        <source>Hop</source>
        <translation>链路</translation>
    </message>
    <message>
        <location filename="../../ui/stackmodel.cpp" line="128"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../ui/stackmodel.cpp" line="130"/>
        <source>Profile field</source>
        <translation>配置档字段</translation>
    </message>
    <message>
        <location filename="../../ui/stackmodel.cpp" line="132"/>
        <source>From</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../ui/stackmodel.cpp" line="134"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
</TS>
