from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Delaktig – administration"
admin.site.site_title = "Delaktig"
admin.site.index_title = "Organisation, personal och rutiner"

urlpatterns = [
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("delaktig.web.urls")),
    path("", include("delaktig.plans.urls")),
    path("", include("delaktig.oversight.urls")),
    path("", include("delaktig.records.urls")),
    path("", include("delaktig.archive.urls")),
    path("", include("delaktig.disposal.urls")),
]
