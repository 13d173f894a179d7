/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.ui;

import org.eclipse.debug.ui.IDebugUIConstants;
import org.eclipse.ui.IFolderLayout;
import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IPerspectiveFactory;

import io.hvdbg.debug.ui.views.VcpuStateView;

/**
 * The hvdbg perspective: the Debug view (VMs, vCPUs) top left with the Breakpoints view (exit
 * breakpoints) under it, hvdbg's views and the Registers view top right, the editor (sources)
 * in the middle and the guest console at the bottom, like Eclipse's Debug perspective with the
 * hypervisor views in front.
 */
public final class HvdbgPerspectiveFactory implements IPerspectiveFactory {
    private static final String CONSOLE_VIEW = "org.eclipse.ui.console.ConsoleView";

    @Override
    public void createInitialLayout(IPageLayout layout) {
        String editor = layout.getEditorArea();

        IFolderLayout debug = layout.createFolder("io.hvdbg.debug.ui.folder.debug", IPageLayout.TOP, 0.45f, editor);
        debug.addView(IDebugUIConstants.ID_DEBUG_VIEW);

        IFolderLayout state = layout.createFolder("io.hvdbg.debug.ui.folder.state", IPageLayout.RIGHT, 0.45f,
                "io.hvdbg.debug.ui.folder.debug");
        state.addView(VcpuStateView.ID);
        state.addView(IDebugUIConstants.ID_REGISTER_VIEW);
        state.addView(io.hvdbg.debug.ui.views.CpuidView.ID);
        state.addView(io.hvdbg.debug.ui.views.TlbView.ID);
        state.addView(IDebugUIConstants.ID_VARIABLE_VIEW);

        // Breakpoints under the Debug view, so exit breakpoints and registers show side by side.
        IFolderLayout breakpoints = layout.createFolder("io.hvdbg.debug.ui.folder.breakpoints", IPageLayout.BOTTOM,
                0.55f, "io.hvdbg.debug.ui.folder.debug");
        breakpoints.addView(IDebugUIConstants.ID_BREAKPOINT_VIEW);

        IFolderLayout console = layout.createFolder("io.hvdbg.debug.ui.folder.console", IPageLayout.BOTTOM, 0.6f, editor);
        console.addView(CONSOLE_VIEW);
        console.addView(io.hvdbg.debug.ui.views.ExitTimelineView.ID);
        console.addView(io.hvdbg.debug.ui.views.ExitStatisticsView.ID);
        console.addPlaceholder(IPageLayout.ID_PROBLEM_VIEW);

        layout.addActionSet(IDebugUIConstants.LAUNCH_ACTION_SET);
        layout.addActionSet(IDebugUIConstants.DEBUG_ACTION_SET);

        layout.addShowViewShortcut(VcpuStateView.ID);
        layout.addShowViewShortcut(io.hvdbg.debug.ui.views.ExitTimelineView.ID);
        layout.addShowViewShortcut(io.hvdbg.debug.ui.views.ExitStatisticsView.ID);
        layout.addShowViewShortcut(io.hvdbg.debug.ui.views.CpuidView.ID);
        layout.addShowViewShortcut(io.hvdbg.debug.ui.views.TlbView.ID);
        layout.addShowViewShortcut(IDebugUIConstants.ID_DEBUG_VIEW);
        layout.addShowViewShortcut(IDebugUIConstants.ID_REGISTER_VIEW);
        layout.addShowViewShortcut(CONSOLE_VIEW);
        layout.addPerspectiveShortcut(IDebugUIConstants.ID_DEBUG_PERSPECTIVE);
    }
}
