/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.tests.ui;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.Platform;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.Test;

import io.hvdbg.debug.ui.HvdbgDebugUI;
import io.hvdbg.debug.ui.views.VcpuStateView;

/**
 * The workbench starts and shows hvdbg's perspective and view without logging errors: a broken
 * run-time closure (a missing bundle, a bytecode weaver that cannot read the running JDK's
 * classes, icons that fail to load) shows up in the platform log long before anything visibly
 * breaks, so any ERROR entry there fails the build.
 */
class WorkbenchLogTest {
    /** Severity of an ERROR entry in the platform log ({@code IStatus.ERROR}). */
    private static final String ERROR_SEVERITY = "4";

    @Test
    void workbenchShowsHvdbgWithoutLoggingErrors() throws Exception {
        IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
        assertNotNull(window, "the UI harness runs a workbench window");
        Shell shell = window.getShell();
        PlatformUI.getWorkbench().showPerspective(HvdbgDebugUI.PERSPECTIVE_ID, window);
        IWorkbenchPage page = window.getActivePage();
        page.showView(VcpuStateView.ID);
        // Menus and toolbars load their (SVG) icons when shown.
        shell.getMenuBar().getItems()[0].getMenu().notifyListeners(org.eclipse.swt.SWT.Show, null);
        UiTestSupport.settle(shell.getDisplay(), 1000);

        Path log = Platform.getLogFileLocation().toFile().toPath();
        List<String> errors = new ArrayList<>();
        if (Files.exists(log)) {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                // "!ENTRY bundle severity code date time"
                String[] fields = line.split(" ");
                if (fields[0].equals("!ENTRY") && fields.length > 2 && fields[2].equals(ERROR_SEVERITY)) {
                    String message = i + 1 < lines.size() ? lines.get(i + 1) : "";
                    String cause = i + 3 < lines.size() ? lines.get(i + 3) : "";
                    errors.add(line + " | " + message + " | " + cause);
                }
            }
        }
        assertTrue(errors.isEmpty(), "the platform log (" + log + ") has errors:\n" + String.join("\n", errors));
    }
}
