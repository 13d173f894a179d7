/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.ui.actions;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jface.dialogs.ErrorDialog;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.handlers.HandlerUtil;

import io.hvdbg.debug.core.breakpoints.ExitReasonBreakpoint;

/** "Add Exit Breakpoint…" (Breakpoints view toolbar, Run menu): asks for reason, condition, hit count. */
public final class AddExitBreakpointHandler extends AbstractHandler {
    public static final String COMMAND_ID = "io.hvdbg.debug.ui.commands.addExitBreakpoint";

    @Override
    public Object execute(ExecutionEvent event) {
        Shell shell = HandlerUtil.getActiveShell(event);
        ExitBreakpointDialog d = new ExitBreakpointDialog(shell);
        if (d.open() == Window.OK) {
            try {
                new ExitReasonBreakpoint(d.reason(), d.condition(), d.hitCount(), true);
            } catch (CoreException e) {
                ErrorDialog.openError(shell, "Add Exit Breakpoint", null, e.getStatus());
            }
        }
        return null;
    }
}
