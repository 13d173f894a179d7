/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.tests.ui;

import static io.hvdbg.debug.tests.ui.GuestDebugSession.spinUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.core.Launch;
import org.eclipse.debug.core.model.IBreakpoint;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeColumn;
import org.eclipse.swt.widgets.TreeItem;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.VirtualMachine;
import io.hvdbg.core.VmConfig;
import io.hvdbg.core.exit.ExitCategory;
import io.hvdbg.debug.core.breakpoints.ExitReasonBreakpoint;
import io.hvdbg.debug.core.launch.RemoteStubLaunchDelegate;
import io.hvdbg.debug.core.launch.RemoteStubSettings;
import io.hvdbg.debug.core.model.VmDebugTarget;
import io.hvdbg.debug.tests.ScriptedMachines;
import io.hvdbg.debug.ui.HvdbgDebugUI;
import io.hvdbg.debug.ui.views.CpuidView;
import io.hvdbg.debug.ui.views.ExitStatisticsView;
import io.hvdbg.debug.ui.views.TlbView;
import io.hvdbg.debug.ui.views.ExitTimelineCanvas;
import io.hvdbg.debug.ui.views.ExitTimelineView;
import io.hvdbg.debug.ui.views.HvdbgFetchView;
import io.hvdbg.debug.ui.views.TimelineModel;
import io.hvdbg.rsp.server.GdbEndpoint;
import io.hvdbg.rsp.server.GdbServer;
import io.hvdbg.rsp.server.PacketTable;
import io.hvdbg.rsp.server.StandardPackets;

/**
 * The hypervisor views in a real workbench against real guests suspended at an exit
 * breakpoint (x86-64 and RISC-V demo guests in the embedded core, over the GDB stub), and
 * against a stub without hvdbg's extensions. Each view is saved as a PNG under
 * target/screenshots/.
 */
class HypervisorViewsUiTest {
    @TempDir
    Path dir;

    private IWorkbenchWindow window;
    private IWorkbenchPage page;
    private Display display;
    private GuestDebugSession session;
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeEach
    void openPerspective() throws Exception {
        window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
        assertNotNull(window);
        display = window.getShell().getDisplay();
        window.getShell().setBounds(0, 0, 1280, 960);
        PlatformUI.getWorkbench().showPerspective(HvdbgDebugUI.PERSPECTIVE_ID, window);
        page = window.getActivePage();
        page.resetPerspective();
        UiTestSupport.settle(display, 300);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (String id : List.of(ExitStatisticsView.ID, ExitTimelineView.ID, CpuidView.ID, TlbView.ID)) {
            IViewPart v = page.findView(id);
            if (v != null) {
                page.hideView(v);
            }
        }
        if (session != null) {
            session.close();
        }
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    private void awaitFetched(HvdbgFetchView<?> view, String headerStart) {
        spinUntil(display, headerStart, () -> !view.isFetching() && view.headerText().startsWith(headerStart),
                view::headerText);
    }

    /** "Total Samples:N" of the stub's own perf-kvm-stat table (monitor stats). */
    private long stubTotalSamples(VmDebugTarget target) throws Exception {
        String text = target.client().monitor("stats");
        Matcher m = Pattern.compile("Total Samples:\\s*(\\d+)").matcher(text);
        assertTrue(m.find(), text);
        return Long.parseLong(m.group(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"x86_64", "riscv64"})
    void exitStatisticsOfASuspendedGuest(String arch) throws Exception {
        session = GuestDebugSession.start(arch, display);
        ExitStatisticsView view = assertInstanceOf(ExitStatisticsView.class, page.showView(ExitStatisticsView.ID));
        view.setContext(new StructuredSelection(session.thread));
        awaitFetched(view, "Exit statistics of the VM");
        Table table = view.viewer().getTable();
        assertEquals(List.of(ExitStatisticsView.COLUMNS),
                Arrays.stream(table.getColumns()).map(TableColumn::getText).toList());
        assertTrue(table.getItemCount() >= 3, view.headerText());

        long total = stubTotalSamples(session.target);
        assertTrue(view.headerText().endsWith(table.getItemCount() + " events, " + total + " samples"),
                view.headerText() + " vs monitor stats total " + total);
        long sum = 0;
        double percent = 0;
        long previous = Long.MAX_VALUE;
        for (TableItem i : table.getItems()) {
            long samples = Long.parseLong(i.getText(2));
            assertTrue(samples <= previous, "sorted by samples, descending: " + i.getText(0));
            previous = samples;
            sum += samples;
            percent += Double.parseDouble(i.getText(3).replace("%", ""));
            assertTrue(i.getText(5).endsWith("us") && i.getText(6).endsWith("us") && i.getText(7).endsWith("us"));
            double min = Double.parseDouble(i.getText(5).replace("us", ""));
            double max = Double.parseDouble(i.getText(6).replace("us", ""));
            double avg = Double.parseDouble(i.getText(7).replace("us", ""));
            assertTrue(min <= avg + 0.01 && avg <= max + 0.01, i.getText(0) + " min/avg/max " + min + "/" + avg + "/" + max);
        }
        assertEquals(total, sum);
        assertEquals(100.0, percent, 0.1);
        List<String> events = Arrays.stream(table.getItems()).map(i -> i.getText(0)).toList();
        List<String> expected = arch.equals("x86_64") ? List.of("EXIT_REASON_CPUID", "EXIT_REASON_IO_INSTRUCTION", "EXIT_REASON_HLT")
                : List.of("VIRTUAL_SUPERVISOR_ECALL", "STORE_GUEST_PAGE_FAULT", "WFI");
        assertTrue(events.containsAll(expected), events.toString());
        TableItem halt = Arrays.stream(table.getItems()).filter(i -> i.getText(0).equals(expected.get(2))).findFirst()
                .orElseThrow();
        assertEquals("HALT", halt.getText(1));

        // Sort by event name (ascending), then per vCPU: the demo has one vCPU, so the same table.
        view.sortBy(0);
        List<String> names = Arrays.stream(table.getItems()).map(i -> i.getText(0)).toList();
        assertEquals(names.stream().sorted().toList(), names);
        view.setScope(0);
        awaitFetched(view, "Exit statistics of vCPU 0");
        assertTrue(view.headerText().endsWith(" samples") && view.headerText().contains(", " + total + " samples"),
                view.headerText());
        view.sortBy(2);
        page.activate(view);
        Path png = screenshotMaximized(view, "exit-statistics-" + arch + ".png");
        assertTrue(Files.size(png) > 20_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"x86_64", "riscv64"})
    void exitTimelineOfASuspendedGuest(String arch) throws Exception {
        session = GuestDebugSession.start(arch, display);
        ExitTimelineView view = assertInstanceOf(ExitTimelineView.class, page.showView(ExitTimelineView.ID));
        view.setLive(false);
        view.setContext(new StructuredSelection(session.thread));
        awaitFetched(view, "Exit timeline of ");
        UiTestSupport.settle(display, 300);
        awaitFetched(view, "Exit timeline of ");
        long total = stubTotalSamples(session.target);
        assertTrue(view.headerText().endsWith(": " + total + " exits, 1 vCPU lane"),
                view.headerText() + " vs monitor stats total " + total);
        ExitTimelineCanvas canvas = view.canvas();
        TimelineModel model = canvas.model();
        assertEquals(1, model.lanes().length);
        TimelineModel.Lane lane = model.lanes()[0];
        assertEquals(total, lane.size());
        // the last exit is the one the guest is stopped at
        int last = lane.size() - 1;
        String stopName = model.reasonName(lane.reason(last));
        assertEquals(ExitCategory.HALT, model.category(lane.reason(last)), stopName);
        assertTrue(session.thread.getName().toUpperCase(java.util.Locale.ROOT).contains(GuestDebugSession.stopReason(arch)),
                session.thread.getName());
        assertTrue(view.filterItems().contains(stopName), view.filterItems().toString());
        assertEquals(ExitTimelineView.ALL_REASONS, view.filterItems().get(0));

        // Legend and lanes: the pixel column of the last exit has the HALT colour.
        int present = model.presentCategories();
        assertTrue((present & (1 << ExitCategory.HALT.ordinal())) != 0);
        assertTrue(Integer.bitCount(present) >= 2, Integer.toBinaryString(present));
        Path fullPng = screenshotMaximized(view, "exit-timeline-" + arch + ".png");
        assertTrue(Files.size(fullPng) > 20_000);

        // Zoom to 2 us around the stop, so that the exit under the pointer is unique.
        long t = lane.time(last);
        canvas.setViewRange(t - 1000, t + 1000);
        UiTestSupport.settle(display, 50);
        int width = canvas.getClientArea().width - ExitTimelineCanvas.LABEL_WIDTH - 4;
        int x = ExitTimelineCanvas.LABEL_WIDTH + width / 2;
        int y = canvas.laneTop(0) + 12;
        ImageData lanes = canvas.renderLanes(model.lanes(), width, 30);
        int haltRgb = canvasColour(ExitCategory.HALT);
        boolean coloured = false;
        for (int yy = 0; yy < 24; yy++) {
            coloured |= lanes.getPixel(width / 2, yy) == haltRgb;
        }
        assertTrue(coloured, "the stop's pixel column has the HALT colour");
        String tip = canvas.tooltipAt(x, y);
        assertNotNull(tip, "tooltip at the stop");
        assertTrue(tip.startsWith("vCPU 0: " + stopName + " (HALT)"), tip);

        // Click selects the exit and shows its details read from the stub (qHvdbg.exit).
        mouse(canvas, SWT.MouseDown, x, y, 1, 0);
        mouse(canvas, SWT.MouseUp, x, y, 1, 0);
        assertEquals(0, canvas.selectedLane());
        assertEquals(last, canvas.selectedIndex());
        spinUntil(display, "the exit's details", () -> view.detailsText().contains("encodings:"), view::detailsText);
        assertTrue(view.detailsText().startsWith("Exit #" + lane.seq(last) + " on vCPU 0: " + stopName + " (HALT)"),
                view.detailsText());
        if (arch.equals("x86_64")) {
            assertTrue(view.detailsText().contains("VMEXIT_HLT"), "the AMD encoding beside Intel's: " + view.detailsText());
        }
        Path selectedPng = screenshotMaximized(view, "exit-timeline-selected-" + arch + ".png");
        assertTrue(Files.size(selectedPng) > 20_000);

        // Wheel zooms in around the pointer, drag pans.
        long span = canvas.viewEnd() - canvas.viewStart();
        mouse(canvas, SWT.MouseWheel, x, y, 0, 0);
        long zoomed = canvas.viewEnd() - canvas.viewStart();
        assertEquals(span * 0.8, zoomed, 2.0);
        long start = canvas.viewStart();
        mouse(canvas, SWT.MouseDown, x, y, 1, 0);
        mouse(canvas, SWT.MouseMove, x + 100, y, 0, SWT.BUTTON1);
        mouse(canvas, SWT.MouseUp, x + 100, y, 1, SWT.BUTTON1);
        assertEquals(start - 100.0 * zoomed / width, canvas.viewStart(), 2.0);
        assertEquals(0, canvas.selectedLane(), "a drag does not select");

        // Filter by reason: only the stop's category is left.
        view.setFilter(stopName);
        assertEquals(1 << ExitCategory.HALT.ordinal(), model.presentCategories());
        view.setFilter(ExitTimelineView.ALL_REASONS);
        assertEquals(present, model.presentCategories());

        // Context menu "Break on this exit reason".
        ExitReasonBreakpoint b = view.breakOnSelectedReason();
        assertNotNull(b);
        assertEquals(stopName, b.getReason());
        assertTrue(List.of(DebugPlugin.getDefault().getBreakpointManager().getBreakpoints()).contains((IBreakpoint) b));
    }

    private static int canvasColour(ExitCategory c) {
        return ExitTimelineCanvas.categoryRgb(c);
    }

    static void mouse(ExitTimelineCanvas canvas, int type, int x, int y, int button, int state) {
        Event e = new Event();
        e.x = x;
        e.y = y;
        e.button = button;
        e.stateMask = state;
        e.count = type == SWT.MouseWheel ? 3 : 1;
        canvas.notifyListeners(type, e);
    }

    @ParameterizedTest
    @ValueSource(strings = {"x86_64", "riscv64"})
    void cpuidOrIsaOfASuspendedGuest(String arch) throws Exception {
        session = GuestDebugSession.start(arch, display);
        CpuidView view = assertInstanceOf(CpuidView.class, page.showView(CpuidView.ID));
        view.setContext(new StructuredSelection(session.thread));
        awaitFetched(view, arch.equals("x86_64") ? "x86 CPUID of vCPU 0" : "ISA rv64");
        Tree tree = view.viewer().getTree();
        assertEquals(List.of(CpuidView.COLUMNS), Arrays.stream(tree.getColumns()).map(TreeColumn::getText).toList());
        view.viewer().expandAll();
        UiTestSupport.settle(display, 50);
        if (arch.equals("x86_64")) {
            assertTrue(view.headerText().startsWith("x86 CPUID of vCPU 0 (Intel"), view.headerText());
            TreeItem leaf0 = item(tree.getItems(), "leaf 0x0 subleaf 0x0");
            // vendor string GenuineIntel in EBX, EDX, ECX of leaf 0
            TreeItem ebx = item(leaf0.getItems(), "EBX");
            assertEquals("0x756e6547", ebx.getText(1));
            assertEquals("0x49656e69", item(leaf0.getItems(), "EDX").getText(3));
            assertEquals("0x6c65746e", item(leaf0.getItems(), "ECX").getText(2));
            TreeItem leaf1 = item(tree.getItems(), "leaf 0x1 subleaf 0x0");
            TreeItem ecx = item(leaf1.getItems(), "ECX");
            TreeItem hypervisor = item(ecx.getItems(), "bit 31 hypervisor");
            assertEquals("yes", hypervisor.getText(1), "the core supports the hypervisor bit");
            assertEquals("yes", hypervisor.getText(3), "the guest sees the hypervisor bit");
            TreeItem lm = item(item(item(tree.getItems(), "leaf 0x80000001 subleaf 0x0").getItems(), "EDX").getItems(), "bit 29 lm");
            assertEquals("yes", lm.getText(3));
        } else {
            assertTrue(view.headerText().contains("(vCPU 0)"), view.headerText());
            TreeItem isa = item(tree.getItems(), "ISA");
            for (String ext : List.of("i", "m", "a", "zabha", "svvptc", "ziccrse", "zacas", "sstc")) {
                TreeItem e = item(isa.getItems(), ext);
                assertEquals("yes", e.getText(1), ext + " is supported by the core");
                assertEquals(e.getText(2), e.getText(3), ext + ": effective = requested for this vCPU");
            }
            assertEquals("yes", item(isa.getItems(), "i").getText(3));
        }
        Path png = screenshotMaximized(view, "cpuid-" + arch + ".png");
        assertTrue(Files.size(png) > 20_000);
        if (arch.equals("x86_64")) {
            view.setFilter("x2apic");
            assertEquals(List.of("leaf 0x1 subleaf 0x0"), Arrays.stream(tree.getItems()).map(TreeItem::getText).toList());
            assertEquals(List.of("ECX"), Arrays.stream(tree.getItem(0).getItems()).map(TreeItem::getText).toList());
        } else {
            view.setFilter("zabha");
            assertEquals(List.of("zabha"), Arrays.stream(tree.getItem(0).getItems()).map(TreeItem::getText).toList());
        }
        view.setFilter("");
    }

    @ParameterizedTest
    @ValueSource(strings = {"x86_64", "riscv64"})
    void tlbOfASuspendedGuest(String arch) throws Exception {
        session = GuestDebugSession.start(arch, display);
        TlbView view = assertInstanceOf(TlbView.class, page.showView(TlbView.ID));
        view.setContext(new StructuredSelection(session.thread));
        awaitFetched(view, "TLB of vCPU 0");
        Table entries = view.entries().getTable();
        assertEquals(List.of(TlbView.ENTRY_COLUMNS), Arrays.stream(entries.getColumns()).map(TableColumn::getText).toList());
        assertEquals(List.of(TlbView.HISTORY_COLUMNS),
                Arrays.stream(view.history().getTable().getColumns()).map(TableColumn::getText).toList());
        assertTrue(view.headerText().contains(": " + entries.getItemCount() + " entries, "
                + view.history().getTable().getItemCount() + " recent flushes"), view.headerText());
        Matcher hits = Pattern.compile("^hits (\\d+), misses (\\d+)").matcher(view.countersText());
        assertTrue(hits.find(), view.countersText());
        assertTrue(view.countersText().contains("\nflushes by cause: "), view.countersText());
        if (arch.equals("x86_64")) {
            // long mode with paging: translations were cached (the x86 model counts misses, not hits yet)
            assertTrue(entries.getItemCount() > 0, view.headerText());
            assertTrue(Long.parseLong(hits.group(2)) > 0, view.countersText());
            assertTrue(view.countersText().contains("CR3 write "), view.countersText());
            assertTrue(view.countersText().contains("amd-cr4-pge-flush: n/a (Intel)"), view.countersText());
            assertTrue(view.history().getTable().getItemCount() > 0, view.headerText());
            List<String> causes = Arrays.stream(view.history().getTable().getItems()).map(i -> i.getText(2)).toList();
            assertTrue(causes.contains("CR3 write"), causes.toString());
        } else {
            // the RISC-V demo stops at WFI before it turns on VS-stage paging: the TLB model is there, empty
            assertTrue(view.countersText().contains("svvptc: "), view.countersText());
        }
        for (TableItem i : entries.getItems()) {
            assertTrue(i.getText(0).startsWith("0x") && i.getText(1).startsWith("0x"), i.getText(0));
            assertTrue(i.getText(3).endsWith("KiB") || i.getText(3).endsWith("MiB") || i.getText(3).endsWith("GiB"));
        }
        if (entries.getItemCount() > 0) {
            // Filter on the first entry's VA keeps it.
            String va = entries.getItem(0).getText(0);
            view.setFilter(va);
            assertTrue(entries.getItemCount() >= 1);
            for (TableItem i : entries.getItems()) {
                assertTrue(String.join(" ", i.getText(0), i.getText(1), i.getText(2)).contains(va));
            }
            view.setFilter("");
        }
        Path png = screenshotMaximized(view, "tlb-" + arch + ".png");
        assertTrue(Files.size(png) > 20_000);
    }

    /** Saves a PNG of the window with the active view maximized (the bottom folder is small). */
    private Path screenshotMaximized(IViewPart view, String name) throws Exception {
        page.activate(view);
        org.eclipse.ui.IWorkbenchPartReference ref = page.getReference(view);
        page.setPartState(ref, IWorkbenchPage.STATE_MAXIMIZED);
        UiTestSupport.settle(display, 200);
        try {
            return UiTestSupport.screenshot(window.getShell(), name);
        } finally {
            page.setPartState(ref, IWorkbenchPage.STATE_RESTORED);
            UiTestSupport.settle(display, 100);
        }
    }

    private static TreeItem item(TreeItem[] items, String text) {
        for (TreeItem i : items) {
            if (i.getText(0).equals(text)) {
                return i;
            }
        }
        throw new AssertionError("no row " + text + " among " + Arrays.stream(items).map(TreeItem::getText).toList());
    }

    @Test
    void viewsSayNotAvailableAgainstAStubWithoutHvdbgExtensions() throws Exception {
        Path k = dir.resolve("guest.script");
        Files.writeString(k, "status 0\nx\n");
        VirtualMachine vm = ScriptedMachines.factory(Architecture.X86_64).create(VmConfig.defaults(Architecture.X86_64).withKernel(k));
        vm.start();
        cleanup.add(vm::terminate);
        GdbServer server = GdbServer.start(vm, new GdbServer.Options(new InetSocketAddress(GdbEndpoint.LOOPBACK, 0),
                GdbServer.DEFAULT_MAX_PACKET, StandardPackets.install(new PacketTable()), null));
        cleanup.add(0, server::close);
        ILaunchConfigurationWorkingCopy wc = DebugPlugin.getDefault().getLaunchManager()
                .getLaunchConfigurationType(RemoteStubSettings.LAUNCH_TYPE_ID).newInstance(null, "plain stub");
        new RemoteStubSettings("127.0.0.1", server.port(), "auto", "", true).applyTo(wc);
        Launch launch = new Launch(wc, ILaunchManager.DEBUG_MODE, null);
        new RemoteStubLaunchDelegate().launch(wc, ILaunchManager.DEBUG_MODE, launch, new NullProgressMonitor());
        cleanup.add(0, () -> {
            if (!launch.isTerminated()) {
                launch.terminate();
            }
        });
        VmDebugTarget target = assertInstanceOf(VmDebugTarget.class, launch.getDebugTarget());
        assertTrue(!target.hasHypervisorFeatures());

        ExitStatisticsView stats = assertInstanceOf(ExitStatisticsView.class, page.showView(ExitStatisticsView.ID));
        stats.setContext(new StructuredSelection(target));
        assertTrue(stats.headerText().startsWith(HvdbgFetchView.NOT_AVAILABLE + " ("), stats.headerText());
        assertTrue(stats.headerText().contains("no hvdbg extensions"), stats.headerText());
        assertEquals(0, stats.viewer().getTable().getItemCount());
        ExitTimelineView timeline = assertInstanceOf(ExitTimelineView.class, page.showView(ExitTimelineView.ID));
        timeline.setContext(new StructuredSelection(target));
        assertTrue(timeline.headerText().startsWith(HvdbgFetchView.NOT_AVAILABLE + " ("), timeline.headerText());
        assertEquals(0, timeline.canvas().model().count());
        timeline.setContext(StructuredSelection.EMPTY);
        assertEquals(HvdbgFetchView.NO_CONTEXT, timeline.headerText());
        page.activate(stats);
        screenshotMaximized(stats, "exit-statistics-not-available.png");
    }
}
