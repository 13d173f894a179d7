/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.ui.views;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.eclipse.core.runtime.Adapters;
import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.IDebugEventSetListener;
import org.eclipse.debug.ui.DebugUITools;
import org.eclipse.debug.ui.contexts.DebugContextEvent;
import org.eclipse.debug.ui.contexts.IDebugContextListener;
import org.eclipse.debug.ui.contexts.IDebugContextService;
import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.MenuManager;
import org.eclipse.jface.layout.TableColumnLayout;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.ColumnWeightData;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.graphics.Color;
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
    /** Values of the previous snapshot of each provider, to highlight what the last run changed. */
    private final Map<IVcpuStateProvider, Map<String, Long>> previous = new HashMap<>();
    private final Map<IVcpuStateProvider, VcpuStateSnapshot> lastShown = new HashMap<>();
    private Set<String> changed = Set.of();
    private Color changedColor;

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

                @Override
                public Color getBackground(Object element) {
                    return isChanged((StateRow) element) ? changedColor : null;
                }
            });
        }
        changedColor = new Color(table.getDisplay(), 0xff, 0xf0, 0x9a);
        table.addListener(SWT.Dispose, e -> changedColor.dispose());
        Action copy = new Action("Copy as Text") {
            @Override
            public void run() {
                copySelectionToClipboard();
            }
        };
        MenuManager menu = new MenuManager();
        menu.add(copy);
        table.setMenu(menu.createContextMenu(table));
        table.addListener(SWT.KeyDown, e -> {
            if ((e.stateMask & SWT.MOD1) != 0 && (e.keyCode == 'c' || e.keyCode == 'C')) {
                copySelectionToClipboard();
            }
        });
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

    /** Whether a row's value differs from the previous suspend of the same vCPU. */
    public boolean isChanged(StateRow row) {
        return changed.contains(row.group() + "/" + row.name());
    }

    /** The names (group/name) of the rows changed since the previous suspend. */
    public Set<String> changedRows() {
        return changed;
    }

    /** The selected rows (all if none is selected) as text: a title line, then one row a line. */
    public String selectionAsText() {
        List<?> rows = viewer.getStructuredSelection().isEmpty() ? (List<?>) viewer.getInput()
                : viewer.getStructuredSelection().toList();
        StringBuilder b = new StringBuilder(header.getText()).append('\n');
        for (Object o : rows == null ? List.of() : rows) {
            StateRow r = (StateRow) o;
            b.append(String.format(Locale.ROOT, "%-10s %-16s %s%s%s%n", r.group(), r.name(), cell(r, 2),
                    r.decoded() == null || r.decoded().isEmpty() ? "" : "  " + r.decoded(), isChanged(r) ? "  (changed)" : ""));
        }
        return b.toString();
    }

    private void copySelectionToClipboard() {
        Clipboard c = new Clipboard(viewer.getControl().getDisplay());
        try {
            c.setContents(new Object[] {selectionAsText()}, new Transfer[] {TextTransfer.getInstance()});
        } finally {
            c.dispose();
        }
    }

    /** Compares a new snapshot with the one last shown for the same provider. */
    private void track(IVcpuStateProvider p, VcpuStateSnapshot snapshot) {
        if (lastShown.get(p) == snapshot) {
            return; // the same stop shown again (context switch back): keep its highlighting
        }
        Map<String, Long> before = previous.get(p);
        Map<String, Long> now = new HashMap<>();
        Set<String> diff = new HashSet<>();
        for (StateRow r : snapshot.rows()) {
            String key = r.group() + "/" + r.name();
            now.put(key, r.value());
            if (before != null && before.containsKey(key) && before.get(key) != r.value()) {
                diff.add(key);
            }
        }
        previous.put(p, now);
        lastShown.put(p, snapshot);
        changedByProvider.put(p, diff);
    }

    private final Map<IVcpuStateProvider, Set<String>> changedByProvider = new HashMap<>();

    private void refresh() {
        if (viewer == null || viewer.getControl().isDisposed()) {
            return;
        }
        VcpuStateSnapshot snapshot = provider == null ? null : provider.vcpuState();
        if (snapshot != null && provider != null) {
            track(provider, snapshot);
            changed = changedByProvider.getOrDefault(provider, Set.of());
        } else {
            changed = Set.of();
        }
        if (snapshot == null) {
            header.setText(provider == null ? NO_CONTEXT : NOT_STOPPED);
            viewer.setInput(List.of());
        } else {
            header.setText(snapshot.title() + ": " + snapshot.rows().size() + " rows"
                    + (changed.isEmpty() ? "" : ", " + changed.size() + " changed since the last suspend"));
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
