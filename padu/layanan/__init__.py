"""Citizen service (layanan warga): cek status by NIK, usul and sanggah, tracking codes."""
