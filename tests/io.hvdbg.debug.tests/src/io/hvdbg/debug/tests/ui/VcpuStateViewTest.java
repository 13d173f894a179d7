/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.tests.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.core.Launch;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.views.IViewCategory;
import org.eclipse.ui.views.IViewDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.MachineFactory;
import io.hvdbg.debug.core.launch.VmLaunchDelegate;
import io.hvdbg.debug.core.launch.VmLaunchSettings;
import io.hvdbg.debug.core.model.VmProcess;
import io.hvdbg.debug.tests.ScriptedMachines;
import io.hvdbg.debug.ui.HvdbgDebugUI;
import io.hvdbg.debug.ui.views.VcpuStateView;

/**
 * The vCPU State view in a real workbench (UI harness, under Xvfb in the build): registered in
 * the hvdbg category, opens in the hvdbg perspective, shows the state a guest stopped with, and a
 * screenshot of the window goes to target/screenshots/.
 */
class VcpuStateViewTest {
    @TempDir
    Path dir;

    private IWorkbenchWindow window;
    private IWorkbenchPage page;

    @BeforeEach
    void openPerspective() throws Exception {
        window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
        assertNotNull(window, "the UI harness runs a workbench window");
        Shell shell = window.getShell();
        shell.setBounds(0, 0, 1200, 800);
        PlatformUI.getWorkbench().showPerspective(HvdbgDebugUI.PERSPECTIVE_ID, window);
        page = window.getActivePage();
        UiTestSupport.settle(shell.getDisplay(), 300);
    }

    @AfterEach
    void closeView() {
        IViewPart v = page.findView(VcpuStateView.ID);
        if (v != null) {
            page.hideView(v);
        }
    }

    @Test
    void viewIsContributedInTheHvdbgCategory() {
        IViewDescriptor d = PlatformUI.getWorkbench().getViewRegistry().find(VcpuStateView.ID);
        assertNotNull(d, "view " + VcpuStateView.ID);
        assertEquals("vCPU State", d.getLabel());
        IViewCategory hvdbg = null;
        for (IViewCategory c : PlatformUI.getWorkbench().getViewRegistry().getCategories()) {
            if (c.getId().equals(HvdbgDebugUI.VIEW_CATEGORY_ID)) {
                hvdbg = c;
            }
        }
        assertNotNull(hvdbg, "category hvdbg");
        assertEquals("hvdbg", hvdbg.getLabel());
        assertTrue(List.of(hvdbg.getViews()).contains(d));
        assertEquals("hvdbg", PlatformUI.getWorkbench().getPerspectiveRegistry()
                .findPerspectiveWithId(HvdbgDebugUI.PERSPECTIVE_ID).getLabel());
    }

    @Test
    void showsTheStateAGuestStoppedWithAndSavesAScreenshot() throws Exception {
        VcpuStateView view = assertInstanceOf(VcpuStateView.class, page.showView(VcpuStateView.ID));
        Display display = window.getShell().getDisplay();
        page.activate(view);
        view.setContext(StructuredSelection.EMPTY);
        UiTestSupport.settle(display, 100);
        assertEquals(VcpuStateView.NO_CONTEXT, view.headerText());
        Table table = view.viewer().getTable();
        assertEquals(0, table.getItemCount());
        assertEquals(List.of("Group", "Name", "Value", "Decoded"),
                java.util.Arrays.stream(table.getColumns()).map(c -> c.getText()).toList());

        // A guest runs to its end through the real launch path (scripted core), then the view follows it.
        Path k = dir.resolve("guest.script");
        Files.writeString(k, "status 1\nhvdbg says hello\n");
        ILaunchConfigurationWorkingCopy wc = DebugPlugin.getDefault().getLaunchManager()
                .getLaunchConfigurationType(VmLaunchSettings.LAUNCH_TYPE_ID).newInstance(null, "ui-scripted");
        new VmLaunchSettings("x86_64", k.toString(), 64, 1, "intel").applyTo(wc);
        Launch launch = new Launch(wc, ILaunchManager.RUN_MODE, null);
        new VmLaunchDelegate() {
            @Override
            protected MachineFactory factory(Architecture architecture) {
                return ScriptedMachines.factory(architecture);
            }
        }.launch(wc, ILaunchManager.RUN_MODE, launch, new NullProgressMonitor());
        VmProcess p = (VmProcess) launch.getProcesses()[0];
        long deadline = System.currentTimeMillis() + 20_000;
        while (!p.isTerminated() && System.currentTimeMillis() < deadline) {
            UiTestSupport.settle(display, 20);
        }
        assertTrue(p.isTerminated());

        view.setContext(new StructuredSelection(p));
        UiTestSupport.settle(display, 300);
        assertTrue(view.headerText().startsWith("vCPU 0 of x86_64 VM (shutdown): 15 rows"), view.headerText());
        assertEquals(15, table.getItemCount());
        TableItem rip = find(table, "rip");
        assertEquals("general", rip.getText(0));
        assertEquals(String.format("0x%016x", 0x100000 + "hvdbg says hello\n".length()), rip.getText(2));
        TableItem cr4 = find(table, "cr4");
        assertEquals("control", cr4.getText(0));
        assertEquals("0x00000000003406a0", cr4.getText(2));
        assertTrue(cr4.getText(3).contains("PGE"));

        Path png = UiTestSupport.screenshot(window.getShell(), "vcpu-state-view.png");
        assertTrue(Files.size(png) > 10_000, "a real screenshot of the window, not an empty image: " + Files.size(png));
    }

    @Test
    void highlightsValuesChangedSinceTheLastSuspendAndCopiesAsText() throws Exception {
        VcpuStateView view = assertInstanceOf(VcpuStateView.class, page.showView(VcpuStateView.ID));
        Display display = window.getShell().getDisplay();
        io.hvdbg.core.inspect.StateRow rip1 = new io.hvdbg.core.inspect.StateRow("general", "rip", 0x100000, "");
        io.hvdbg.core.inspect.StateRow cr0 = new io.hvdbg.core.inspect.StateRow("control", "cr0", 0x80000011L, "PE ET PG");
        io.hvdbg.core.inspect.StateRow rip2 = new io.hvdbg.core.inspect.StateRow("general", "rip", 0x100004, "");
        io.hvdbg.debug.core.model.VcpuStateSnapshot[] current = {
            new io.hvdbg.debug.core.model.VcpuStateSnapshot("vCPU 0 of x86_64 VM (stop 1)", List.of(rip1, cr0))};
        io.hvdbg.debug.core.model.IVcpuStateProvider vcpu = () -> current[0];
        view.setContext(new StructuredSelection(vcpu));
        UiTestSupport.settle(display, 100);
        assertEquals("vCPU 0 of x86_64 VM (stop 1): 2 rows", view.headerText());
        assertTrue(view.changedRows().isEmpty(), "nothing to compare with at the first stop");

        // The next suspend of the same vCPU: rip moved, cr0 did not.
        current[0] = new io.hvdbg.debug.core.model.VcpuStateSnapshot("vCPU 0 of x86_64 VM (stop 2)", List.of(rip2, cr0));
        view.setContext(new StructuredSelection(vcpu));
        UiTestSupport.settle(display, 100);
        assertEquals("vCPU 0 of x86_64 VM (stop 2): 2 rows, 1 changed since the last suspend", view.headerText());
        assertEquals(java.util.Set.of("general/rip"), view.changedRows());
        Table table = view.viewer().getTable();
        TableItem rip = find(table, "rip");
        assertTrue(rip.getBackground(2).getRGB().equals(new org.eclipse.swt.graphics.RGB(0xff, 0xf0, 0x9a)),
                rip.getBackground(2).toString());
        assertTrue(!find(table, "cr0").getBackground(2).getRGB().equals(new org.eclipse.swt.graphics.RGB(0xff, 0xf0, 0x9a)));
        String text = view.selectionAsText();
        assertEquals("vCPU 0 of x86_64 VM (stop 2): 2 rows, 1 changed since the last suspend\n"
                + "general    rip              0x0000000000100004  (changed)\n"
                + "control    cr0              0x0000000080000011  PE ET PG\n", text.replace(System.lineSeparator(), "\n"));
        // Showing the same stop again keeps its highlighting.
        view.setContext(StructuredSelection.EMPTY);
        view.setContext(new StructuredSelection(vcpu));
        assertEquals(java.util.Set.of("general/rip"), view.changedRows());
        page.activate(view);
        Path png = UiTestSupport.screenshot(window.getShell(), "vcpu-state-changed.png");
        assertTrue(Files.size(png) > 10_000);
    }

    private static TableItem find(Table table, String name) {
        for (TableItem i : table.getItems()) {
            if (i.getText(1).equals(name)) {
                return i;
            }
        }
        throw new AssertionError("no row " + name);
    }
}
