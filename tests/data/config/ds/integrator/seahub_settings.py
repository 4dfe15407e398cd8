# Seafile's ONLYOFFICE settings
ENABLE_ONLYOFFICE = True
VERIFY_ONLYOFFICE_CERTIFICATE = True
ONLYOFFICE_APIJS_URL = 'https://docs.example.com/web-apps/apps/api/documents/api.js'
ONLYOFFICE_FILE_EXTENSION = ('doc', 'docx')
ONLYOFFICE_JWT_SECRET = 'short-seafile'
SERVICE_URL = 'https://seafile.example.com'
