/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.ui.views;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.IDebugEventSetListener;
import org.eclipse.debug.core.model.IDebugElement;
import org.eclipse.debug.ui.DebugUITools;
import org.eclipse.debug.ui.contexts.DebugContextEvent;
import org.eclipse.debug.ui.contexts.IDebugContextListener;
import org.eclipse.debug.ui.contexts.IDebugContextService;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.part.ViewPart;

import io.hvdbg.debug.core.model.VmDebugTarget;

/**
 * Base of the hypervisor views: a header line saying what is shown (or why nothing is), the
 * view's content below it, the window's debug context followed, a refresh when the VM
 * suspends, and the data fetched over RSP in a Job, never on the UI thread.
 *
 * @param <D> what one fetch returns
 */
public abstract class HvdbgFetchView<D> extends ViewPart implements IDebugContextListener, IDebugEventSetListener {
    /** Shown when the debug context holds no hvdbg VM. */
    public static final String NO_CONTEXT = "No hvdbg VM selected: launch an hvdbg Virtual Machine or attach to a stub and select it in the Debug view.";
    /** Prefix of the header against a stub without hvdbg's extensions (QEMU, OpenOCD). */
    public static final String NOT_AVAILABLE = "Not available from this target";

    private Label header;
    private IDebugContextService contextService;
    private DebugContextTarget context;
    private final AtomicInteger generation = new AtomicInteger();
    private final AtomicInteger pendingFetches = new AtomicInteger();

    @Override
    public final void createPartControl(Composite parent) {
        Composite top = new Composite(parent, SWT.NONE);
        GridLayout layout = new GridLayout(1, false);
        layout.marginWidth = 0;
        layout.marginHeight = 0;
        top.setLayout(layout);
        header = new Label(top, SWT.WRAP);
        header.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        Control content = createContent(top);
        content.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));

        contextService = DebugUITools.getDebugContextManager().getContextService(getSite().getWorkbenchWindow());
        contextService.addDebugContextListener(this);
        DebugPlugin.getDefault().addDebugEventListener(this);
        setContext(contextService.getActiveContext());
    }

    /** Creates the view's content under the header. */
    protected abstract Control createContent(Composite parent);

    /** Reads the data of a context; runs in a Job. */
    protected abstract D fetch(DebugContextTarget target, IProgressMonitor monitor) throws IOException;

    /** Shows fetched data; UI thread. Returns the header text. */
    protected abstract String show(DebugContextTarget target, D data);

    /** Empties the content (no context, not available). UI thread. */
    protected abstract void clear();

    /** Whether the view shows an opened trace file instead of following the debug context. */
    protected boolean showsTraceFile() {
        return false;
    }

    /** Whether the data can only be read while the VM is stopped (CPUID, TLB). */
    protected boolean needsSuspendedTarget() {
        return false;
    }

    @Override
    public void debugContextChanged(DebugContextEvent event) {
        if ((event.getFlags() & DebugContextEvent.ACTIVATED) != 0) {
            setContext(event.getContext());
        }
    }

    /** Follows a debug-context selection (the Debug view's, or a test's). */
    public void setContext(ISelection selection) {
        DebugContextTarget next = DebugContextTarget.of(selection);
        if (next != null && next.equals(context)) {
            return;
        }
        context = next;
        refresh();
    }

    /** The VM and vCPU shown, or null. */
    public DebugContextTarget context() {
        return context;
    }

    /** Fetches and shows the current context's data again. */
    public void refresh() {
        if (header == null || header.isDisposed()) {
            return;
        }
        int gen = generation.incrementAndGet();
        if (showsTraceFile()) {
            return; // an opened trace file is shown instead of the debug context (results of older fetches are dropped)
        }
        DebugContextTarget ctx = context;
        if (ctx == null) {
            setHeader(NO_CONTEXT);
            clear();
            return;
        }
        VmDebugTarget t = ctx.target();
        if (!t.hasHypervisorFeatures()) {
            String why = t.hypervisorFeaturesUnavailable();
            setHeader(NOT_AVAILABLE + " (" + t.getName() + "): " + (why == null ? "the stub has no hvdbg extensions" : why));
            clear();
            return;
        }
        if (t.isTerminated()) {
            setHeader("The VM has ended" + (t.endReason() == null ? "." : ": " + t.endReason()));
            return;
        }
        if (needsSuspendedTarget() && !t.isSuspended()) {
            setHeader("Shown when the VM stops (the stub answers this only while the guest is paused).");
            return;
        }
        setHeader("Reading from " + t.getName() + "\u2026");
        Display display = header.getDisplay();
        pendingFetches.incrementAndGet();
        Job job = new Job(getPartName() + ": reading from " + t.getName()) {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                try {
                    D data = fetch(ctx, monitor);
                    display.asyncExec(() -> {
                        if (gen == generation.get() && !header.isDisposed()) {
                            setHeader(show(ctx, data));
                        }
                    });
                } catch (IOException | RuntimeException e) {
                    display.asyncExec(() -> {
                        if (gen == generation.get() && !header.isDisposed()) {
                            setHeader("Could not read from " + t.getName() + ": " + e.getMessage());
                        }
                    });
                } finally {
                    display.asyncExec(pendingFetches::decrementAndGet);
                }
                return Status.OK_STATUS;
            }
        };
        job.setUser(false);
        job.schedule();
    }

    /** Whether a fetch is running or its result not shown yet (tests wait for it). */
    public boolean isFetching() {
        return pendingFetches.get() > 0;
    }

    protected void setHeader(String text) {
        setHeader(text, null);
    }

    /** Sets the header line and its tooltip (e.g. the skipped lines of an opened trace). */
    protected void setHeader(String text, String toolTip) {
        header.setText(text);
        header.setToolTipText(toolTip);
        header.getParent().layout(true, true);
    }

    /** The text above the content: what is shown, or why nothing is. */
    public String headerText() {
        return header.getText();
    }

    /** The shown VM suspended or ended: show its new data. */
    @Override
    public void handleDebugEvents(DebugEvent[] events) {
        DebugContextTarget ctx = context;
        if (ctx == null) {
            return;
        }
        for (DebugEvent e : events) {
            if ((e.getKind() == DebugEvent.SUSPEND || e.getKind() == DebugEvent.TERMINATE)
                    && e.getSource() instanceof IDebugElement d && d.getDebugTarget() == ctx.target()) {
                Display d2 = header.getDisplay();
                if (!d2.isDisposed()) {
                    d2.asyncExec(this::refresh);
                }
                return;
            }
        }
    }

    @Override
    public void dispose() {
        generation.incrementAndGet();
        if (contextService != null) {
            contextService.removeDebugContextListener(this);
        }
        DebugPlugin p = DebugPlugin.getDefault();
        if (p != null) {
            p.removeDebugEventListener(this);
        }
        super.dispose();
    }
}
