/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.tests.ui;

import static io.hvdbg.debug.tests.ui.GuestDebugSession.spinUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.eclipse.core.filesystem.EFS;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.dnd.DND;
import org.eclipse.swt.dnd.DropTarget;
import org.eclipse.swt.dnd.FileTransfer;
import org.eclipse.swt.dnd.TransferData;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.handlers.IHandlerService;
import org.eclipse.ui.ide.IDE;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.hvdbg.core.exit.VmExit;
import io.hvdbg.core.exit.export.ChromeTraceReader;
import io.hvdbg.core.exit.export.CsvTraceWriter;
import io.hvdbg.debug.ui.HvdbgDebugUI;
import io.hvdbg.debug.ui.trace.CloseTraceHandler;
import io.hvdbg.debug.ui.trace.ExportTraceHandler;
import io.hvdbg.debug.ui.trace.KvmTraceEditorLauncher;
import io.hvdbg.debug.ui.trace.LoadedTrace;
import io.hvdbg.debug.ui.trace.OpenKvmTraceHandler;
import io.hvdbg.debug.ui.trace.TraceInput;
import io.hvdbg.debug.ui.views.ExitStatisticsView;
import io.hvdbg.debug.ui.views.ExitTimelineView;
import io.hvdbg.debug.ui.views.HvdbgFetchView;
import io.hvdbg.debug.ui.views.TimelineModel;

/**
 * Host KVM traces in the IDE (issue 10): the realistic VMX ftrace and SVM trace-cmd samples of
 * the x86 importer tests opened through the Open KVM Trace command, File > Open File...'s
 * editor launcher and a drop on the views, shown without any debug session; exported to JSON
 * and CSV through the Export Trace command and read back. Screenshots in target/screenshots/.
 */
class KvmTraceUiTest {
    @TempDir
    Path dir;

    private IWorkbenchWindow window;
    private IWorkbenchPage page;
    private Display display;
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private Consumer<String> savedReporter;
    private Function<Shell, String> savedOpenChooser;
    private BiFunction<Shell, String, String> savedExportChooser;
    private GuestDebugSession session;

    @BeforeEach
    void setUp() throws Exception {
        window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
        assertNotNull(window);
        display = window.getShell().getDisplay();
        window.getShell().setBounds(0, 0, 1280, 960);
        PlatformUI.getWorkbench().showPerspective(HvdbgDebugUI.PERSPECTIVE_ID, window);
        page = window.getActivePage();
        page.resetPerspective();
        savedReporter = TraceInput.errorReporter;
        savedOpenChooser = OpenKvmTraceHandler.fileChooser;
        savedExportChooser = ExportTraceHandler.fileChooser;
        TraceInput.errorReporter = errors::add;
        UiTestSupport.settle(display, 300);
    }

    @AfterEach
    void tearDown() throws Exception {
        TraceInput.get().close();
        TraceInput.errorReporter = savedReporter;
        OpenKvmTraceHandler.fileChooser = savedOpenChooser;
        ExportTraceHandler.fileChooser = savedExportChooser;
        for (String id : List.of(ExitStatisticsView.ID, ExitTimelineView.ID)) {
            IViewPart v = page.findView(id);
            if (v != null) {
                page.hideView(v);
            }
        }
        if (session != null) {
            session.close();
        }
    }

    /** The importer tests' samples, read where they are in the source tree. */
    static Path sample(String name) {
        List<Path> starts = new ArrayList<>();
        starts.add(Path.of(System.getProperty("user.dir")).toAbsolutePath());
        String shots = System.getProperty("hvdbg.screenshots");
        if (shots != null) {
            starts.add(Path.of(shots).toAbsolutePath());
        }
        for (Path start : starts) {
            for (Path p = start; p != null; p = p.getParent()) {
                Path f = p.resolve("tests/io.hvdbg.x86.tests/resources/io/hvdbg/x86/trace").resolve(name);
                if (Files.isRegularFile(f)) {
                    return f;
                }
            }
        }
        throw new AssertionError("sample " + name + " not found above " + starts);
    }

    private void execute(String commandId) throws Exception {
        window.getService(IHandlerService.class).executeCommand(commandId, null);
    }

    private ExitTimelineView timeline() {
        return assertInstanceOf(ExitTimelineView.class, page.findView(ExitTimelineView.ID));
    }

    private ExitStatisticsView statistics() {
        return assertInstanceOf(ExitStatisticsView.class, page.findView(ExitStatisticsView.ID));
    }

    /** Waits until both views show the trace read from a file of that name. */
    private LoadedTrace awaitShown(String fileName) {
        spinUntil(display, "both views show " + fileName, () -> {
            IViewPart t = page.findView(ExitTimelineView.ID);
            IViewPart s = page.findView(ExitStatisticsView.ID);
            return t instanceof ExitTimelineView tv && tv.trace() != null && tv.trace().name().equals(fileName)
                    && s instanceof ExitStatisticsView sv && sv.trace() != null && sv.trace().name().equals(fileName);
        }, () -> "errors " + errors + ", trace " + TraceInput.get().current());
        UiTestSupport.settle(display, 200);
        return TraceInput.get().current();
    }

    private static List<String> lanes(TimelineModel m) {
        List<String> out = new ArrayList<>();
        for (TimelineModel.Lane l : m.lanes()) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < l.size(); i++) {
                names.add(m.reasonName(l.reason(i)));
            }
            out.add("vCPU " + l.vcpu() + ": " + names);
        }
        return out;
    }

    private Map<String, TableItem> statisticsRows() {
        return Arrays.stream(statistics().viewer().getTable().getItems())
                .collect(Collectors.toMap(i -> i.getText(0), i -> i));
    }

    private static List<VmExit> exitsOf(LoadedTrace t) {
        List<VmExit> out = new ArrayList<>();
        t.trace().read(t.trace().firstSeq(), Long.MAX_VALUE, (s, v, r, tm, d, pc, q, i2, c) -> {
            out.add(t.trace().get(s));
            return true;
        });
        return out;
    }

    private Path screenshot(IViewPart view, String name) throws Exception {
        page.activate(view);
        org.eclipse.ui.IWorkbenchPartReference ref = page.getReference(view);
        page.setPartState(ref, IWorkbenchPage.STATE_MAXIMIZED);
        UiTestSupport.settle(display, 200);
        try {
            Path png = UiTestSupport.screenshot(window.getShell(), name);
            assertTrue(Files.size(png) > 20_000, name);
            return png;
        } finally {
            page.setPartState(ref, IWorkbenchPage.STATE_RESTORED);
            UiTestSupport.settle(display, 100);
        }
    }

    private Path export(String fileName) throws Exception {
        Path out = dir.resolve(fileName);
        ExportTraceHandler.fileChooser = (shell, suggested) -> out.toString();
        execute(ExportTraceHandler.COMMAND_ID);
        spinUntil(display, "export to " + fileName, () -> Files.exists(out)
                && Job.getJobManager().find(TraceInput.JOB_FAMILY).length == 0, () -> "errors " + errors);
        return out;
    }

    private static List<String> toolbarLabels(IViewPart view) {
        org.eclipse.jface.action.IToolBarManager tb = view.getViewSite().getActionBars().getToolBarManager();
        tb.update(true);
        return Arrays.stream(((org.eclipse.jface.action.ToolBarManager) tb).getControl().getItems())
                .map(i -> i.getText()).toList();
    }

    @Test
    void openKvmTraceIsInTheFileMenuAndTheViewToolbars() throws Exception {
        org.eclipse.swt.widgets.Menu file = window.getShell().getMenuBar().getItems()[0].getMenu();
        file.notifyListeners(org.eclipse.swt.SWT.Show, new Event());
        UiTestSupport.settle(display, 200);
        List<String> items = Arrays.stream(file.getItems()).map(i -> i.getText()).toList();
        file.notifyListeners(org.eclipse.swt.SWT.Hide, new Event());
        assertTrue(items.contains("Open KVM Trace..."), items.toString());
        ExitTimelineView tl = assertInstanceOf(ExitTimelineView.class, page.showView(ExitTimelineView.ID));
        ExitStatisticsView st = assertInstanceOf(ExitStatisticsView.class, page.showView(ExitStatisticsView.ID));
        UiTestSupport.settle(display, 200);
        assertEquals(List.of("Open KVM Trace...", "Export Trace...", "Close Trace"), toolbarLabels(tl));
        assertEquals(List.of("Open KVM Trace...", "Close Trace"), toolbarLabels(st));
    }

    @Test
    void openKvmTraceCommandShowsAVmxFtraceInBothViewsAndExportsIt() throws Exception {
        Path vmx = sample("vmx-ftrace.txt");
        OpenKvmTraceHandler.fileChooser = shell -> vmx.toString();
        execute(OpenKvmTraceHandler.COMMAND_ID);
        LoadedTrace t = awaitShown("vmx-ftrace.txt");
        assertEquals(List.of(), errors);

        ExitTimelineView tl = timeline();
        assertTrue(tl.headerText().startsWith("Exit timeline of trace vmx-ftrace.txt: 11 exits, 2 vCPU lanes"),
                tl.headerText());
        assertTrue(tl.headerText().contains("ftrace, Intel VMX: 11 exits on 2 vCPUs from 43 lines"), tl.headerText());
        assertTrue(tl.headerText().contains(
                "3 malformed lines skipped, 1 exit without kvm_entry (duration 0); skipped lines 36, 37, 38"),
                tl.headerText());
        assertNull(tl.shownTarget(), "no debug session behind an opened trace");
        assertEquals(List.of(
                "vCPU 0: [EXIT_REASON_EXTERNAL_INTERRUPT, EXIT_REASON_MSR_WRITE, EXIT_REASON_EPT_VIOLATION, EXIT_REASON_HLT, EXIT_REASON_IO_INSTRUCTION]",
                "vCPU 1: [EXIT_REASON_CPUID, EXIT_REASON_EPT_MISCONFIG, EXIT_REASON_EXCEPTION_NMI, EXIT_REASON_PREEMPTION_TIMER, EXIT_REASON_MSR_READ, EXIT_REASON_APIC_WRITE]"),
                lanes(tl.canvas().model()));
        TimelineModel.Lane lane0 = tl.canvas().model().lanes()[0];
        assertEquals(5123_000_100_000L, lane0.time(0), "the first exit's ftrace timestamp, ns");
        assertTrue(tl.filterItems().containsAll(List.of(ExitTimelineView.ALL_REASONS, "EXIT_REASON_HLT",
                "EXIT_REASON_EPT_VIOLATION")), tl.filterItems().toString());
        // Clicking an exit shows what the file said about it.
        tl.canvas().select(0, 1);
        assertTrue(tl.detailsText().contains("on vCPU 0: EXIT_REASON_MSR_WRITE (MSR)")
                && tl.detailsText().contains("pc 0xffffffff8106ff88") && tl.detailsText().contains("0x6e0"),
                tl.detailsText());
        tl.canvas().select(0, 3);
        assertTrue(tl.detailsText().startsWith("Exit #"), tl.detailsText());
        assertTrue(tl.detailsText().contains("on vCPU 0: EXIT_REASON_HLT (HALT)")
                && tl.detailsText().contains("duration 1000000 ns"), tl.detailsText());

        ExitStatisticsView st = statistics();
        assertTrue(st.headerText().startsWith("Exit statistics of the VM (trace vmx-ftrace.txt): 11 events, 11 samples"),
                st.headerText());
        Map<String, TableItem> rows = statisticsRows();
        assertEquals(11, rows.size(), rows.keySet().toString());
        long sum = rows.values().stream().mapToLong(i -> Long.parseLong(i.getText(2))).sum();
        assertEquals(11, sum);
        assertEquals("HALT", rows.get("EXIT_REASON_HLT").getText(1));
        assertEquals("1000.00us", rows.get("EXIT_REASON_HLT").getText(6), "max time of the HLT exit");
        assertEquals("12.00us", rows.get("EXIT_REASON_EPT_MISCONFIG").getText(5));
        st.setScope(1);
        assertTrue(st.headerText().startsWith("Exit statistics of vCPU 1 (trace vmx-ftrace.txt): 6 events, 6 samples"),
                st.headerText());
        st.setScope(-1);

        screenshot(tl, "kvm-trace-timeline-vmx.png");
        screenshot(st, "kvm-trace-statistics-vmx.png");

        // Export Trace...: JSON read back gives the same exits; CSV has a row per exit.
        Path json = export("vmx.json");
        List<VmExit> back;
        try (Reader r = Files.newBufferedReader(json, StandardCharsets.UTF_8)) {
            back = ChromeTraceReader.read(json.toString(), r);
        }
        List<VmExit> shown = exitsOf(t);
        assertEquals(11, shown.size());
        assertEquals(shown, back);
        Path csv = export("vmx.csv");
        List<String> lines = Files.readAllLines(csv);
        assertEquals(CsvTraceWriter.HEADER, lines.get(0));
        assertEquals(12, lines.size());
        assertTrue(lines.stream().anyMatch(l -> l.contains(",EXIT_REASON_HLT,")), lines.toString());
        assertEquals(List.of(), errors);

        // Close Trace: back to following the debug context, which holds no VM here.
        org.eclipse.core.commands.Command close = window.getService(org.eclipse.ui.commands.ICommandService.class)
                .getCommand(CloseTraceHandler.COMMAND_ID);
        execute(CloseTraceHandler.COMMAND_ID);
        UiTestSupport.settle(display, 200);
        assertTrue(!close.isEnabled(), "nothing left to close");
        assertThrows(org.eclipse.core.commands.NotEnabledException.class, () -> execute(CloseTraceHandler.COMMAND_ID));
        assertNull(tl.trace());
        assertNull(st.trace());
        assertTrue(tl.headerText().startsWith(HvdbgFetchView.NO_CONTEXT), tl.headerText());
        assertTrue(st.headerText().startsWith(HvdbgFetchView.NO_CONTEXT), st.headerText());
        assertEquals(0, st.viewer().getTable().getItemCount());
    }

    @Test
    void fileOpenFileOnATraceNameOpensAnSvmTraceCmdReportInTheViews() throws Exception {
        for (String name : List.of("svm.kvmtrace", "run.hvtrace", "trace", "kvm-ftrace.txt", "kvm-trace-cmd.txt",
                "kvm-perf.txt")) {
            assertEquals(KvmTraceEditorLauncher.ID,
                    PlatformUI.getWorkbench().getEditorRegistry().getDefaultEditor(name).getId(), name);
        }
        Path svm = dir.resolve("svm.kvmtrace");
        Files.copy(sample("svm-trace-cmd.txt"), svm);
        // What File > Open File... does with the chosen file.
        IDE.openEditorOnFileStore(page, EFS.getLocalFileSystem().getStore(svm.toUri()));
        awaitShown("svm.kvmtrace");
        assertEquals(List.of(), errors);
        assertTrue(window.getService(org.eclipse.ui.commands.ICommandService.class)
                .getCommand(CloseTraceHandler.COMMAND_ID).isEnabled(), "a trace to close");

        ExitTimelineView tl = timeline();
        assertTrue(tl.headerText().startsWith("Exit timeline of trace svm.kvmtrace: 9 exits, 2 vCPU lanes"),
                tl.headerText());
        assertTrue(tl.headerText().contains("trace-cmd report, AMD SVM: 9 exits on 2 vCPUs from 27 lines"),
                tl.headerText());
        assertTrue(tl.headerText().contains("; skipped lines 26, 27"), tl.headerText());
        assertEquals(List.of("vCPU 0: [VMEXIT_NPF, VMEXIT_IOIO, VMEXIT_HLT, VMEXIT_INTR]",
                "vCPU 1: [VMEXIT_MSR, VMEXIT_EXCP_PF, VMEXIT_VINTR, VMEXIT_VMMCALL, VMEXIT_0x4ff]"),
                lanes(tl.canvas().model()));

        ExitStatisticsView st = statistics();
        Map<String, TableItem> rows = statisticsRows();
        assertEquals(9, rows.size(), rows.keySet().toString());
        assertEquals("2000.00us", rows.get("VMEXIT_HLT").getText(6));
        assertEquals("7.00us", rows.get("VMEXIT_NPF").getText(5));
        assertEquals("HALT", rows.get("VMEXIT_HLT").getText(1));
        st.setScope(0);
        assertTrue(st.headerText().startsWith("Exit statistics of vCPU 0 (trace svm.kvmtrace): 4 events, 4 samples"),
                st.headerText());
        st.setScope(-1);

        screenshot(tl, "kvm-trace-timeline-svm.png");
        screenshot(st, "kvm-trace-statistics-svm.png");

        // The launcher itself, as the Project Explorer's Open would call it, with a second file.
        new KvmTraceEditorLauncher().open(org.eclipse.core.runtime.IPath.fromPath(sample("vmx-perf-script.txt")));
        LoadedTrace perf = awaitShown("vmx-perf-script.txt");
        assertEquals(5, perf.exits());
        assertTrue(timeline().headerText().contains("perf script, Intel VMX: 5 exits"), timeline().headerText());
    }

    @Test
    void droppingFilesOnTheViewsOpensTracesAndRefusesOtherFilesWithOneMessage() throws Exception {
        ExitTimelineView tl = assertInstanceOf(ExitTimelineView.class, page.showView(ExitTimelineView.ID));
        ExitStatisticsView st = assertInstanceOf(ExitStatisticsView.class, page.showView(ExitStatisticsView.ID));

        Path notes = dir.resolve("notes.txt");
        Files.writeString(notes, "shopping list\neggs\nmilk\n");
        drop(tl.canvas(), notes);
        spinUntil(display, "the refusal", () -> !errors.isEmpty(), errors::toString);
        UiTestSupport.settle(display, 300);
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("notes.txt is not an exit trace"), errors.get(0));
        assertNull(tl.trace());

        errors.clear();
        Path empty = dir.resolve("no-exits.txt");
        Files.writeString(empty, "# tracer: nop\n#\n          <idle>-0     [000] d..1.  5123.000050: sched_switch: x\n");
        drop(st.viewer().getTable(), empty);
        spinUntil(display, "the refusal", () -> !errors.isEmpty(), errors::toString);
        assertTrue(errors.get(0).startsWith("no-exits.txt: no kvm_exit events in 3 lines"), errors.get(0));
        assertNull(st.trace());

        errors.clear();
        drop(st.viewer().getTable(), sample("svm-trace-cmd.txt"));
        awaitShown("svm-trace-cmd.txt");
        assertEquals(9, tl.canvas().model().count());
        drop(tl.canvas(), sample("vmx-ftrace.txt"));
        awaitShown("vmx-ftrace.txt");
        assertEquals(11, tl.canvas().model().count());
        assertEquals(11, statisticsRows().size());
        assertEquals(List.of(), errors);
    }

    @Test
    void exportTraceWritesTheExitsOfALiveSession() throws Exception {
        session = GuestDebugSession.start("x86_64", display);
        ExitTimelineView tl = assertInstanceOf(ExitTimelineView.class, page.showView(ExitTimelineView.ID));
        tl.setLive(false);
        tl.setContext(new StructuredSelection(session.thread));
        spinUntil(display, "the timeline of the session", () -> !tl.isFetching()
                && tl.headerText().startsWith("Exit timeline of "), tl::headerText);
        assertTrue(tl.shownTarget() == session.target);
        long shown = tl.canvas().model().count();
        assertTrue(shown > 3, tl.headerText());

        Path json = export("live.json");
        List<VmExit> back;
        try (Reader r = Files.newBufferedReader(json, StandardCharsets.UTF_8)) {
            back = ChromeTraceReader.read(json.toString(), r);
        }
        assertEquals(shown, back.size());
        assertEquals("EXIT_REASON_HLT", back.get(back.size() - 1).reason().name(), "the session stopped at its first HLT");
        assertTrue(back.stream().anyMatch(e -> e.reason().name().equals("EXIT_REASON_CPUID")));
        assertEquals(List.of(), errors);
    }

    /**
     * Delivers a drop of one file through the control's real DropTarget listeners, as SWT does
     * after a native drag (the native drag itself cannot be driven under Xvfb).
     */
    private void drop(Control control, Path file) throws Exception {
        DropTarget target = assertInstanceOf(DropTarget.class, control.getData(DND.DROP_TARGET_KEY));
        TransferData type = FileTransfer.getInstance().getSupportedTypes()[0];
        Class<?> dndEvent = Class.forName("org.eclipse.swt.dnd.DNDEvent");
        Constructor<?> c = dndEvent.getDeclaredConstructor();
        c.setAccessible(true);
        Event e = (Event) c.newInstance();
        Field dataType = dndEvent.getDeclaredField("dataType");
        dataType.setAccessible(true);
        dataType.set(e, type);
        Field dataTypes = dndEvent.getDeclaredField("dataTypes");
        dataTypes.setAccessible(true);
        dataTypes.set(e, new TransferData[] {type});
        Field operations = dndEvent.getDeclaredField("operations");
        operations.setAccessible(true);
        operations.set(e, DND.DROP_COPY | DND.DROP_MOVE);
        e.detail = DND.DROP_COPY;
        target.notifyListeners(DND.DragEnter, e);
        assertEquals(DND.DROP_COPY, e.detail, "the view accepts files");
        e.data = new String[] {file.toString()};
        target.notifyListeners(DND.Drop, e);
    }
}
