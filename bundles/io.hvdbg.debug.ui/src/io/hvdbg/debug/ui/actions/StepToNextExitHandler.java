/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.ui.actions;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.ui.handlers.HandlerUtil;

import io.hvdbg.debug.core.model.VcpuThread;

/**
 * "Step to Next VM Exit": runs until the selected vCPU takes its next VM exit (any reason) and
 * stops before the hypervisor handles it. Returns at once; the stop arrives as a debug event.
 */
public final class StepToNextExitHandler extends AbstractHandler {
    public static final String COMMAND_ID = "io.hvdbg.debug.ui.commands.stepToNextExit";

    @Override
    public Object execute(ExecutionEvent event) {
        VcpuThread t = DebugSelection.thread(HandlerUtil.getCurrentSelection(event));
        if (t == null) {
            t = DebugSelection.current();
        }
        if (t != null && t.getDebugTarget().canStepToExit()) {
            t.stepToExit(null);
        }
        return null;
    }

    @Override
    public void setEnabled(Object evaluationContext) {
        VcpuThread t = DebugSelection.current();
        setBaseEnabled(t != null && t.getDebugTarget().canStepToExit());
    }
}
