package org.mxgate.admin;

/**
 * A backend's messages per minute over the last hour as an inline SVG bar chart: 60 bars,
 * oldest on the left, each with a tooltip. The scale is given, not taken from the bars, so the
 * backends of one pool share it and an uneven share shows as bars of different heights. Pure;
 * no script, no external asset.
 */
final class BarChart {

    static final int BARS = 60;
    static final int BAR_WIDTH = 4;
    static final int WIDTH = BARS * BAR_WIDTH;
    static final int HEIGHT = 40;

    private BarChart() {
    }

    /**
     * @param perMinute the counts, oldest first; fewer than 60 are taken as the most recent ones
     * @param scale the count that fills the whole height (the pool's peak); 0 draws no bars
     */
    static String svg(String label, long[] perMinute, long scale) {
        StringBuilder out = new StringBuilder(4096);
        long total = 0;
        for (long count : perMinute) {
            total += count;
        }
        out.append("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH)
                .append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"").append(Html.escape(label + ": " + total
                        + " messages in the last hour, by minute")).append("\">");
        out.append("<rect class=\"plot\" x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                .append("\"/>");
        int offset = BARS - Math.min(BARS, perMinute.length);
        for (int i = 0; i < Math.min(BARS, perMinute.length); i++) {
            long count = perMinute[perMinute.length - Math.min(BARS, perMinute.length) + i];
            int slot = offset + i;
            int height = height(count, scale);
            if (height == 0) {
                continue;
            }
            int minutesAgo = BARS - 1 - slot;
            out.append("<rect class=\"bar\" x=\"").append(slot * BAR_WIDTH).append("\" y=\"").append(HEIGHT - height)
                    .append("\" width=\"").append(BAR_WIDTH - 1).append("\" height=\"").append(height).append("\"><title>")
                    .append(minutesAgo == 0 ? "this minute" : minutesAgo == 1 ? "1 minute ago" : minutesAgo + " minutes ago")
                    .append(": ").append(count).append(count == 1 ? " message" : " messages").append("</title></rect>");
        }
        out.append("<line class=\"base\" x1=\"0\" y1=\"").append(HEIGHT - 0.5).append("\" x2=\"").append(WIDTH)
                .append("\" y2=\"").append(HEIGHT - 0.5).append("\"/></svg>");
        return out.toString();
    }

    /** Pixels for {@code count} on {@code scale}; at least one for any message, so a trickle shows. */
    static int height(long count, long scale) {
        if (count <= 0 || scale <= 0) {
            return 0;
        }
        long pixels = Math.round((double) Math.min(count, scale) * HEIGHT / scale);
        return (int) Math.max(1, pixels);
    }
}
