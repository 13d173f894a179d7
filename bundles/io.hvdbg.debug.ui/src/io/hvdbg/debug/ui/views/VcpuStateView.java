/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.ui.views;

import java.util.List;
import java.util.Locale;

import org.eclipse.core.runtime.Adapters;
import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.IDebugEventSetListener;
import org.eclipse.debug.ui.DebugUITools;
import org.eclipse.debug.ui.contexts.DebugContextEvent;
import org.eclipse.debug.ui.contexts.IDebugContextListener;
import org.eclipse.debug.ui.contexts.IDebugContextService;
import org.eclipse.jface.layout.TableColumnLayout;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.ColumnWeightData;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.ui.part.ViewPart;

import io.hvdbg.core.inspect.StateRow;
import io.hvdbg.debug.core.model.IVcpuStateProvider;
import io.hvdbg.debug.core.model.VcpuStateSnapshot;

/**
 * vCPU State: the registers and system state (control registers, mode, pending exit) of the
 * vCPU selected in the Debug view, as captured at its last stop. Follows the debug context of
 * the window; anything adapting to {@link IVcpuStateProvider} can be shown.
 */
public final class VcpuStateView extends ViewPart implements IDebugContextListener, IDebugEventSetListener {
    public static final String ID = "io.hvdbg.debug.ui.views.vcpuState";

    /** Shown when the debug context holds nothing hvdbg can show. */
    public static final String NO_CONTEXT = "No hvdbg vCPU selected: launch an hvdbg Virtual Machine and select it in the Debug view.";
    /** Shown for an hvdbg element that has not stopped yet. */
    public static final String NOT_STOPPED = "The vCPU state appears when the guest stops.";

    private static final String[] COLUMNS = {"Group", "Name", "Value", "Decoded"};

    private Label header;
    private TableViewer viewer;
    private IDebugContextService contextService;
    private IVcpuStateProvider provider;

    @Override
    public void createPartControl(Composite parent) {
        Composite top = new Composite(parent, SWT.NONE);
        GridLayout layout = new GridLayout(1, false);
        layout.marginWidth = 0;
        layout.marginHeight = 0;
        top.setLayout(layout);

        header = new Label(top, SWT.WRAP);
        header.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));

        Composite tableArea = new Composite(top, SWT.NONE);
        tableArea.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        TableColumnLayout columns = new TableColumnLayout();
        tableArea.setLayout(columns);
        viewer = new TableViewer(tableArea, SWT.FULL_SELECTION | SWT.MULTI | SWT.H_SCROLL | SWT.V_SCROLL | SWT.BORDER);
        Table table = viewer.getTable();
        table.setHeaderVisible(true);
        table.setLinesVisible(true);
        viewer.setContentProvider(ArrayContentProvider.getInstance());
        int[] weights = {15, 20, 30, 35};
        for (int i = 0; i < COLUMNS.length; i++) {
            TableViewerColumn c = new TableViewerColumn(viewer, SWT.LEFT);
            c.getColumn().setText(COLUMNS[i]);
            columns.setColumnData(c.getColumn(), new ColumnWeightData(weights[i], 60));
            final int column = i;
            c.setLabelProvider(new ColumnLabelProvider() {
                @Override
                public String getText(Object element) {
                    return cell((StateRow) element, column);
                }
            });
        }
        getSite().setSelectionProvider(viewer);

        contextService = DebugUITools.getDebugContextManager().getContextService(getSite().getWorkbenchWindow());
        contextService.addDebugContextListener(this);
        DebugPlugin.getDefault().addDebugEventListener(this);
        setContext(contextService.getActiveContext());
    }

    /** Text of one cell: values in hex, as debuggers show registers. */
    static String cell(StateRow row, int column) {
        return switch (column) {
            case 0 -> row.group();
            case 1 -> row.name();
            case 2 -> String.format(Locale.ROOT, "0x%016x", row.value());
            default -> row.decoded() == null ? "" : row.decoded();
        };
    }

    @Override
    public void debugContextChanged(DebugContextEvent event) {
        if ((event.getFlags() & DebugContextEvent.ACTIVATED) != 0) {
            setContext(event.getContext());
        }
    }

    /** Shows the first element of the selection that provides vCPU state, or says there is none. */
    public void setContext(ISelection selection) {
        provider = null;
        if (selection instanceof IStructuredSelection s) {
            for (Object o : s.toList()) {
                IVcpuStateProvider p = Adapters.adapt(o, IVcpuStateProvider.class);
                if (p != null) {
                    provider = p;
                    break;
                }
            }
        }
        refresh();
    }

    /** Shows a snapshot directly (e.g. one the debug model fetched over RSP). */
    public void showSnapshot(VcpuStateSnapshot snapshot) {
        provider = () -> snapshot;
        refresh();
    }

    private void refresh() {
        if (viewer == null || viewer.getControl().isDisposed()) {
            return;
        }
        VcpuStateSnapshot snapshot = provider == null ? null : provider.vcpuState();
        if (snapshot == null) {
            header.setText(provider == null ? NO_CONTEXT : NOT_STOPPED);
            viewer.setInput(List.of());
        } else {
            header.setText(snapshot.title() + ": " + snapshot.rows().size() + " rows");
            viewer.setInput(snapshot.rows());
        }
        header.getParent().layout(true, true);
    }

    /** The current snapshot's provider stopped or ended: show its new state. */
    @Override
    public void handleDebugEvents(DebugEvent[] events) {
        IVcpuStateProvider p = provider;
        if (p == null) {
            return;
        }
        for (DebugEvent e : events) {
            if (e.getSource() == p || Adapters.adapt(e.getSource(), IVcpuStateProvider.class) == p) {
                Display d = viewer.getControl().getDisplay();
                if (!d.isDisposed()) {
                    d.asyncExec(this::refresh);
                }
                return;
            }
        }
    }

    /** The text above the table (what is shown, or why nothing is). */
    public String headerText() {
        return header.getText();
    }

    public TableViewer viewer() {
        return viewer;
    }

    @Override
    public void setFocus() {
        viewer.getControl().setFocus();
    }

    @Override
    public void dispose() {
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
