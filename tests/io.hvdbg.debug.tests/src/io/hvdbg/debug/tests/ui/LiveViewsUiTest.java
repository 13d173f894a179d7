/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.tests.ui;

import static io.hvdbg.debug.tests.ui.GuestDebugSession.spinUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.debug.ui.IDebugUIConstants;
import org.eclipse.debug.ui.IDebugView;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.hvdbg.debug.core.model.VcpuThread;
import io.hvdbg.debug.ui.HvdbgDebugUI;
import io.hvdbg.debug.ui.views.ExitTimelineCanvas;
import io.hvdbg.debug.ui.views.ExitTimelineView;
import io.hvdbg.debug.ui.views.TimelineModel;
import io.hvdbg.debug.ui.views.VcpuStateView;

/**
 * The views on a guest that runs: the Exit Timeline grows while the VM runs (no suspend), a
 * click on an exit selects its vCPU in the Debug view; and the vCPU State view's "last exit"
 * rows with Intel's and AMD's encodings side by side (an Intel and an AMD run) and RISC-V's
 * scause/htval/htinst. Real workbench, real guests; screenshots in target/screenshots/.
 */
class LiveViewsUiTest {
    private IWorkbenchWindow window;
    private IWorkbenchPage page;
    private Display display;
    private GuestDebugSession session;

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
        page.setEditorAreaVisible(true);
        for (String id : List.of(ExitTimelineView.ID, VcpuStateView.ID)) {
            IViewPart v = page.findView(id);
            if (v != null) {
                page.hideView(v);
            }
        }
        if (session != null) {
            session.close();
        }
    }

    @Test
    void exitTimelineGrowsWhileTheGuestRunsAndAClickSelectsTheVcpuInTheDebugView() throws Exception {
        session = GuestDebugSession.startRunning("x86_64", "exit-loop.elf", display);
        IDebugView debugView = assertInstanceOf(IDebugView.class, page.showView(IDebugUIConstants.ID_DEBUG_VIEW));
        ExitTimelineView view = assertInstanceOf(ExitTimelineView.class, page.showView(ExitTimelineView.ID));
        view.setContext(new StructuredSelection(session.target));
        TimelineModel[] model = new TimelineModel[1];
        spinUntil(display, "the first exits of the running guest", () -> {
            model[0] = view.canvas().model();
            return model[0] != null && model[0].lanes().length == 1 && model[0].count() > 0;
        }, view::headerText);

        // Two samples a live period and more apart, the VM running all the time: the lane grows.
        long firstCount = model[0].count();
        long firstEnd = model[0].maxTime();
        assertFalse(session.target.isSuspended(), "running at the first sample");
        spinUntil(display, "the timeline to grow while the VM runs",
                () -> view.canvas().model() == model[0] && model[0].count() > firstCount + 100
                        && view.headerText().endsWith(model[0].count() + " exits, 1 vCPU lane"),
                view::headerText);
        assertFalse(session.target.isSuspended(), "never suspended between the samples");
        TimelineModel.Lane lane = model[0].lanes()[0];
        assertTrue(lane.size() == model[0].count() && model[0].maxTime() > firstEnd, view.headerText());
        assertTrue(view.filterItems().containsAll(List.of("EXIT_REASON_CPUID", "EXIT_REASON_IO_INSTRUCTION")),
                view.filterItems().toString());
        Path livePng = UiTestSupport.screenshot(window.getShell(), "exit-timeline-live-x86_64.png");
        assertTrue(Files.size(livePng) > 20_000);

        // The Debug view shows the VM selected; a click on an exit selects its vCPU's thread there.
        page.setEditorAreaVisible(false); // room for the timeline beside the Debug view in the screenshot
        debugView.getViewer().setSelection(new StructuredSelection(session.target), true);
        spinUntil(display, "the VM selected in the Debug view", () -> selected(debugView) == session.target,
                () -> String.valueOf(debugView.getViewer().getSelection()));
        view.setLive(false);
        spinUntil(display, "the last live fetch", () -> !view.isFetching(), view::headerText);
        UiTestSupport.settle(display, 200);
        ExitTimelineCanvas canvas = view.canvas();
        int last = lane.size() - 1;
        long t = lane.time(last);
        canvas.setViewRange(t - 1000, t + 1000);
        UiTestSupport.settle(display, 50);
        int width = canvas.getClientArea().width - ExitTimelineCanvas.LABEL_WIDTH - 4;
        int x = ExitTimelineCanvas.LABEL_WIDTH + width / 2;
        int y = canvas.laneTop(0) + 12;
        HypervisorViewsUiTest.mouse(canvas, SWT.MouseDown, x, y, 1, 0);
        HypervisorViewsUiTest.mouse(canvas, SWT.MouseUp, x, y, 1, 0);
        assertEquals(0, canvas.selectedLane());
        assertEquals(last, canvas.selectedIndex());
        VcpuThread vcpu0 = session.target.getThreads()[0];
        spinUntil(display, "vCPU 0's thread selected in the Debug view", () -> selected(debugView) == vcpu0,
                () -> String.valueOf(debugView.getViewer().getSelection()));
        spinUntil(display, "the exit's details", () -> view.detailsText().contains("encodings:"), view::detailsText);
        assertTrue(view.detailsText().startsWith("Exit #" + lane.seq(last) + " on vCPU 0: "), view.detailsText());
        assertFalse(session.target.isSuspended(), "selecting an exit does not stop the VM");
        Path selectedPng = UiTestSupport.screenshot(window.getShell(), "exit-timeline-debug-view-selection.png");
        assertTrue(Files.size(selectedPng) > 20_000);
    }

    private static Object selected(IDebugView debugView) {
        ISelection s = debugView.getViewer().getSelection();
        return s instanceof IStructuredSelection ss && ss.size() == 1 ? ss.getFirstElement() : null;
    }

    @ParameterizedTest
    @ValueSource(strings = {"x86_64:intel", "x86_64:amd", "riscv64:-"})
    void vcpuStateShowsTheLastExitInEveryEncoding(String run) throws Exception {
        String arch = run.substring(0, run.indexOf(':'));
        String vendor = run.endsWith(":amd") ? "amd" : "intel";
        session = GuestDebugSession.start(arch, vendor, display);
        VcpuStateView view = assertInstanceOf(VcpuStateView.class, page.showView(VcpuStateView.ID));
        view.setContext(new StructuredSelection(session.thread));
        spinUntil(display, "the vCPU state", () -> view.viewer().getTable().getItemCount() > 0, view::headerText);
        Map<String, TableItem> lastExit = lastExitRows(view.viewer().getTable());
        if (arch.equals("x86_64")) {
            // stopped at its first HLT: basic exit reason 12 next to VMEXIT_HLT 0x78, whichever vendor ran
            boolean amd = vendor.equals("amd");
            assertTrue(lastExit.get("reason").getText(3).startsWith(amd ? "VMEXIT_HLT (AMD SVM" : "EXIT_REASON_HLT (Intel VMX"),
                    texts(lastExit));
            assertEquals("0x000000000000000c", lastExit.get("vmx exit reason").getText(2));
            assertEquals("EXIT_REASON_HLT (basic exit reason 12, " + (amd ? "as Intel VMX reports it)" : "native)"),
                    lastExit.get("vmx exit reason").getText(3));
            assertEquals("none defined for this reason", lastExit.get("vmx qualification").getText(3));
            assertEquals("0x0000000000000078", lastExit.get("svm exit code").getText(2));
            assertEquals("VMEXIT_HLT (exit code 0x78, " + (amd ? "native)" : "as AMD SVM reports it)"),
                    lastExit.get("svm exit code").getText(3));
            assertEquals("not used", lastExit.get("svm exitinfo1").getText(3));
            assertEquals("not used", lastExit.get("svm exitinfo2").getText(3));
        } else {
            // stopped at its first WFI: a virtual-instruction trap with the instruction bits in stval
            assertTrue(lastExit.get("reason").getText(3).startsWith("WFI (RISC-V"), texts(lastExit));
            assertEquals("0x0000000000000016", lastExit.get("scause").getText(2));
            assertEquals("exception 22: virtual instruction", lastExit.get("scause").getText(3));
            assertEquals("0x0000000010500073", lastExit.get("stval").getText(2));
            assertEquals("instruction bits 0x10500073 (wfi)", lastExit.get("stval").getText(3));
            assertEquals("0: written only for guest-page faults", lastExit.get("htval").getText(3));
            assertTrue(lastExit.containsKey("htinst"), texts(lastExit));
        }
        String pc = lastExit.get("pc").getText(2);
        assertFalse(pc.equals("0x0000000000000000"), "the exiting instruction's pc: " + pc);
        // show the group: select its rows
        Table table = view.viewer().getTable();
        table.setSelection(lastExit.values().toArray(TableItem[]::new));
        table.showItem(lastExit.get("pc"));
        page.activate(view);
        IViewPart part = view;
        page.setPartState(page.getReference(part), IWorkbenchPage.STATE_MAXIMIZED);
        UiTestSupport.settle(display, 200);
        try {
            Path png = UiTestSupport.screenshot(window.getShell(), "vcpu-state-last-exit-" + arch
                    + (arch.equals("x86_64") ? "-" + vendor : "") + ".png");
            assertTrue(Files.size(png) > 20_000);
        } finally {
            page.setPartState(page.getReference(part), IWorkbenchPage.STATE_RESTORED);
        }
    }

    private static Map<String, TableItem> lastExitRows(Table table) {
        Map<String, TableItem> rows = new TreeMap<>();
        for (TableItem i : table.getItems()) {
            if (i.getText(0).equals("last exit")) {
                rows.put(i.getText(1), i);
            }
        }
        return rows;
    }

    private static String texts(Map<String, TableItem> rows) {
        StringBuilder b = new StringBuilder();
        rows.forEach((k, v) -> b.append(Arrays.toString(new String[] {k, v.getText(2), v.getText(3)})).append('\n'));
        return b.toString();
    }
}
