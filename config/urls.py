from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter
from django.utils.translation import gettext_lazy as _

from overview import views as overview_views
from portal import catalog_views, views
from portal.converters import ExportFormatConverter, OrganisationCodeConverter, TokenConverter
from portal.forms import EmailAuthenticationForm, PortalPasswordResetForm

register_converter(OrganisationCodeConverter, "orgcode")
register_converter(ExportFormatConverter, "exportformat")  # csv | xlsx downloads
register_converter(TokenConverter, "token")  # secrets in links

admin.site.site_header = _("Biblioteksportalen – administration")
admin.site.site_title = "Biblioteksportalen"

account_patterns = [
    path(
        "logga-in/",
        auth_views.LoginView.as_view(
            authentication_form=EmailAuthenticationForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "losenord/glomt/",
        auth_views.PasswordResetView.as_view(
            form_class=PortalPasswordResetForm,
            email_template_name="emails/password_reset_body.txt",
            html_email_template_name="emails/password_reset_body.html",
            subject_template_name="emails/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path("losenord/glomt/skickat/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "losenord/nytt/<token:uidb64>/<token:token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "losenord/nytt/klart/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"
    ),
    path("losenord/byt/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("losenord/byt/klart/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("", views.account, name="account"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("oversikt/", overview_views.dashboard, name="dashboard"),
    path("konto/", include(account_patterns)),
    path("organisationer/", views.organisation_list, name="organisation_list"),
    path("organisationer/<orgcode:code>/", views.organisation_detail, name="organisation_detail"),
    path("organisationer/<orgcode:code>/bjud-in/", views.invite, name="invite"),
    path(
        "organisationer/<orgcode:code>/inbjudningar/<int:pk>/aterkalla/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "organisationer/<orgcode:code>/inbjudningar/<int:pk>/skicka-igen/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "organisationer/<orgcode:code>/medlemmar/<int:pk>/ta-bort/",
        views.membership_remove,
        name="membership_remove",
    ),
    path("inbjudan/<token:token>/", views.invitation_accept, name="invitation_accept"),
    path("planer/", include("plans.urls")),
    path("rapporter/", include("overview.reports.urls")),
    path("importera/", include("portal.imports.urls")),
    path("kalendarium/", include("calendar_app.urls")),
    path("natverk/", include("network.urls")),
    # --- catalogues, notifications, development staircase
    path("katalog/", catalog_views.catalogues, name="catalogues"),
    path("katalog/<slug:kind>/ny/", catalog_views.catalogue_edit, name="catalogue_add"),
    path("katalog/<slug:kind>/<int:pk>/", catalog_views.catalogue_edit, name="catalogue_edit"),
    path("aviseringar/", catalog_views.notification_list, name="notifications"),
    path("aviseringar/<int:pk>/", catalog_views.notification_open, name="notification_open"),
    path("aviseringar/alla-lasta/", catalog_views.notifications_read, name="notifications_read"),
    path("organisationer/<orgcode:code>/utvecklingstrappa/", catalog_views.staircase_view, name="staircase"),
    path(
        "organisationer/<orgcode:code>/utvecklingstrappa/jamforelse/",
        catalog_views.staircase_region,
        name="staircase_region",
    ),
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path("halsa/", views.health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
