/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.ui.views;

import java.util.function.Consumer;

import org.eclipse.swt.widgets.Control;

import io.hvdbg.debug.ui.trace.LoadedTrace;
import io.hvdbg.debug.ui.trace.TraceDropSupport;
import io.hvdbg.debug.ui.trace.TraceInput;

/**
 * A view of VM exits that follows the debug context or, while one is open, shows an exit trace
 * file ({@link TraceInput}: Open KVM Trace..., File > Open File..., a file dropped on the view)
 * until Close Trace.
 *
 * @param <D> what one fetch from the debug context returns
 */
public abstract class ExitTraceView<D> extends HvdbgFetchView<D> {
    private LoadedTrace trace;
    private final Consumer<LoadedTrace> traceListener = this::showTrace;

    /**
     * Call at the end of createContent: files dropped on {@code dropTarget} open as traces, and
     * the view shows the trace open now and those opened later.
     */
    protected void followTraceFiles(Control dropTarget) {
        TraceDropSupport.install(dropTarget);
        TraceInput.get().addListener(traceListener);
        if (TraceInput.get().current() != null) {
            showTrace(TraceInput.get().current());
        }
    }

    /** Shows an opened trace file, or (null) follows the debug context again. UI thread. */
    public abstract void showTrace(LoadedTrace t);

    /** Records the trace file shown (null: none); subclasses call it from {@link #showTrace}. */
    protected void setShownTrace(LoadedTrace t) {
        trace = t;
    }

    /** The opened trace file shown, or null. */
    public LoadedTrace trace() {
        return trace;
    }

    @Override
    protected boolean showsTraceFile() {
        return trace != null;
    }

    @Override
    public void dispose() {
        TraceInput.get().removeListener(traceListener);
        super.dispose();
    }
}
