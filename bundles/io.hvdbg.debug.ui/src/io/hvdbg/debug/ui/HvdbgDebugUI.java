/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.ui;

import org.eclipse.jface.resource.ImageDescriptor;
import org.eclipse.jface.resource.ImageRegistry;
import org.eclipse.swt.graphics.Image;
import org.eclipse.ui.plugin.AbstractUIPlugin;
import org.osgi.framework.BundleContext;

/** The io.hvdbg.debug.ui plug-in: identifiers and shared images. */
public final class HvdbgDebugUI extends AbstractUIPlugin {
    public static final String PLUGIN_ID = "io.hvdbg.debug.ui";
    public static final String PERSPECTIVE_ID = "io.hvdbg.debug.ui.perspective";
    public static final String VIEW_CATEGORY_ID = "io.hvdbg.debug.ui.views.category";

    public static final String IMG_VM = "icons/vm.png";
    public static final String IMG_VCPU_STATE = "icons/vcpu_state.png";
    public static final String IMG_HVDBG = "icons/hvdbg.png";

    private static HvdbgDebugUI plugin;

    @Override
    public void start(BundleContext context) throws Exception {
        super.start(context);
        plugin = this;
    }

    @Override
    public void stop(BundleContext context) throws Exception {
        plugin = null;
        super.stop(context);
    }

    public static HvdbgDebugUI getDefault() {
        return plugin;
    }

    @Override
    protected void initializeImageRegistry(ImageRegistry registry) {
        for (String path : new String[] {IMG_VM, IMG_VCPU_STATE, IMG_HVDBG}) {
            registry.put(path, imageDescriptorFromPlugin(PLUGIN_ID, path));
        }
    }

    /** A shared image of this plug-in (do not dispose), or null outside a running workbench. */
    public static Image image(String path) {
        HvdbgDebugUI p = plugin;
        return p == null ? null : p.getImageRegistry().get(path);
    }

    public static ImageDescriptor descriptor(String path) {
        HvdbgDebugUI p = plugin;
        return p == null ? null : p.getImageRegistry().getDescriptor(path);
    }
}
