"""Who may do what, one small function per ability and one module per domain (Outline's
server/policies is the model). API routes, web pages, services and presenters all ask
these, so the interface never promises what the server then refuses."""
