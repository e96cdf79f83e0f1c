"""The printable JAC/CAW leaflet: /folder (HTML with a print stylesheet) and /folder.pdf."""
