/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.ui.trace;

import java.util.function.Consumer;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.HandlerEvent;

/**
 * Close Trace: the exit views stop showing the opened trace file and follow the debug context
 * again. Enabled while a trace file is shown.
 */
public final class CloseTraceHandler extends AbstractHandler {
    public static final String COMMAND_ID = "io.hvdbg.debug.ui.commands.closeTrace";

    private final Consumer<LoadedTrace> traceChanged = t -> fireHandlerChanged(new HandlerEvent(this, true, false));

    public CloseTraceHandler() {
        TraceInput.get().addListener(traceChanged);
    }

    @Override
    public boolean isEnabled() {
        return TraceInput.get().current() != null;
    }

    @Override
    public Object execute(ExecutionEvent event) {
        TraceInput.get().close();
        return null;
    }

    @Override
    public void dispose() {
        TraceInput.get().removeListener(traceChanged);
        super.dispose();
    }
}
