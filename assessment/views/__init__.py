"""The assessment pages, by concept; who may use them is decided in `units.roles`."""
