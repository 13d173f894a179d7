/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.ui.views;

import java.util.Locale;

import org.eclipse.jface.viewers.ColumnViewer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;

/**
 * The "Filter:" search box of the table and tree views (CPUID / ISA, TLB): a label and a text
 * field in two cells of the parent's GridLayout; the typed text is kept trimmed and lower-cased
 * and the given viewers are refreshed when it changes. Also the style the views give their
 * viewers, so they look the same.
 */
final class FilterBox {
    /** Style of the views' tables and trees. */
    static final int VIEWER_STYLE = SWT.FULL_SELECTION | SWT.MULTI | SWT.H_SCROLL | SWT.V_SCROLL | SWT.BORDER;

    private final Text text;
    private String needle = "";

    /** Adds the box to a parent with a two-column GridLayout; {@code changed} runs after every edit. */
    FilterBox(Composite parent, String hint, Runnable changed) {
        new Label(parent, SWT.NONE).setText("Filter:");
        text = new Text(parent, SWT.SEARCH | SWT.ICON_CANCEL | SWT.BORDER);
        text.setMessage(hint);
        text.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        text.addListener(SWT.Modify, e -> {
            needle = text.getText().trim().toLowerCase(Locale.ROOT);
            changed.run();
        });
    }

    /** Types into the box (as a user would). */
    void setText(String s) {
        text.setText(s == null ? "" : s);
    }

    boolean isEmpty() {
        return needle.isEmpty();
    }

    /** Whether a cell's text contains the filter text, ignoring case (true for an empty filter). */
    boolean matches(String cell) {
        return needle.isEmpty() || cell.toLowerCase(Locale.ROOT).contains(needle);
    }

    /** Header and grid lines on, as every table and tree of the views has them. */
    static void showHeaderAndLines(ColumnViewer viewer) {
        if (viewer.getControl() instanceof org.eclipse.swt.widgets.Table t) {
            t.setHeaderVisible(true);
            t.setLinesVisible(true);
        } else if (viewer.getControl() instanceof org.eclipse.swt.widgets.Tree t) {
            t.setHeaderVisible(true);
            t.setLinesVisible(true);
        }
    }
}
